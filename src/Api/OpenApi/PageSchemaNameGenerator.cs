using NJsonSchema.Generation;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Api.OpenApi;

/// <summary>
/// Names a page's schema after its items as clients know it (<c>OrchRunPageDto</c>, not
/// <c>PageDtoOfOrchRunDto</c>), so the one <see cref="PageDto{T}"/> keeps the generated clients' types.
/// </summary>
internal sealed class PageSchemaNameGenerator : DefaultSchemaNameGenerator
{
    public override string Generate(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(PageDto<>))
        {
            var item = type.GetGenericArguments()[0].Name;
            return (item.EndsWith("Dto", StringComparison.Ordinal) ? item[..^3] : item) + "PageDto";
        }

        return base.Generate(type);
    }
}
