using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using OrchRunService.Domain.Common;

namespace OrchRunService.Infrastructure.Persistence.Configurations;

internal sealed class StepParametersConverter : ValueConverter<StepParameters, string>
{
    public StepParametersConverter()
        : base(v => v.Json, v => StepParameters.FromJson(v, "stored"))
    {
    }
}
