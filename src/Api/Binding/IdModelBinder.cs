using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace OrchRunService.Api.Binding;

/// <summary>
/// Binds a GUID id from the path; anything else is a field error in the id's name ("id must be a
/// GUID."), which the invalid-model-state answer turns into a 400 validation problem.
/// </summary>
internal sealed class IdModelBinder : IModelBinder
{
    public Task BindModelAsync(ModelBindingContext bindingContext)
    {
        ArgumentNullException.ThrowIfNull(bindingContext);
        var name = bindingContext.ModelName;
        var value = bindingContext.ValueProvider.GetValue(name);
        if (value == ValueProviderResult.None)
        {
            return Task.CompletedTask;
        }

        bindingContext.ModelState.SetModelValue(name, value);
        if (string.IsNullOrWhiteSpace(value.FirstValue) && Nullable.GetUnderlyingType(bindingContext.ModelType) is not null)
        {
            // An optional id given empty ("orchestratorId=") is no filter, as if it were absent.
            bindingContext.Result = ModelBindingResult.Success(null);
            return Task.CompletedTask;
        }

        if (Guid.TryParse(value.FirstValue, out var id))
        {
            bindingContext.Result = ModelBindingResult.Success(id);
        }
        else
        {
            bindingContext.ModelState.TryAddModelError(name, $"{name} must be a GUID.");
        }

        return Task.CompletedTask;
    }
}
