using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OrchRunService.Domain.Common;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

/// <summary>Stored as the JSON text; read back as written (it was checked when it was created).</summary>
internal sealed class StepParametersConverter : ValueConverter<StepParameters, string>
{
    public StepParametersConverter()
        : base(v => v.Json, v => StepParameters.FromStored(v))
    {
    }
}
