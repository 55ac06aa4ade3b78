using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Api.Services;

/// <summary>
/// Until authentication lands every caller is one configured user (<c>Auth:DevelopmentUserId</c>).
/// </summary>
internal sealed class DevelopmentCurrentUser : ICurrentUser
{
    public const string DefaultUserId = "00000000-0000-0000-0000-000000000001";

    public DevelopmentCurrentUser(IConfiguration configuration)
    {
        UserId = configuration["Auth:DevelopmentUserId"] is { Length: > 0 } id ? id : DefaultUserId;
    }

    public string UserId { get; }
}
