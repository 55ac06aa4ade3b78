using System.Security.Claims;
using OrchRunService.Application.Common.Interfaces;

namespace OrchRunService.Api.Auth;

/// <summary>The caller of the current request, from its validated token: <c>sub</c> and the <c>ns</c> claims.</summary>
internal sealed class ClaimsCurrentUser : ICurrentUser
{
    private readonly IHttpContextAccessor _http;

    public ClaimsCurrentUser(IHttpContextAccessor http)
    {
        _http = http;
    }

    public string UserId =>
        User?.FindFirstValue("sub") ?? User?.FindFirstValue(ClaimTypes.NameIdentifier)
        ?? throw new InvalidOperationException("The request has no authenticated user.");

    private ClaimsPrincipal? User => _http.HttpContext?.User;

    public bool MayUseNamespace(string @namespace) =>
        User?.Identity?.IsAuthenticated == true
        && User.FindAll(AuthOptions.NamespaceClaim).Any(c => c.Value == AuthOptions.AllNamespaces || string.Equals(c.Value, @namespace, StringComparison.Ordinal));
}
