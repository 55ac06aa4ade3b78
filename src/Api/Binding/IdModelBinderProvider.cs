using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace OrchRunService.Api.Binding;

/// <summary>Every <see cref="Guid"/> (or optional one) an action takes is an id parsed at the edge by <see cref="IdModelBinder"/>.</summary>
internal sealed class IdModelBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Metadata.ModelType == typeof(Guid) || context.Metadata.ModelType == typeof(Guid?) ? new IdModelBinder() : null;
    }
}
