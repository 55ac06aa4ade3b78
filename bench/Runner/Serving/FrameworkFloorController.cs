using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace OrchRunService.Bench.Serving;

/// <summary>
/// The framework's floor: <c>GET /bench/mvc/{key}?nsfilter=…</c> answers a body stored through the
/// static endpoint, but as an MVC action behind the API's own middleware (authentication with the
/// bench's bearer token, the fallback authorisation policy, the global filters) and with the same
/// bound query parameter. No mediator, validation, database or JSON: what is left of a GET once the
/// API's own work is free. Added by the bench's hosting startup only.
/// </summary>
[ApiController]
[Route("bench/mvc")]
public sealed class FrameworkFloorController : ControllerBase
{
    private readonly StaticBodies _bodies;

    public FrameworkFloorController(StaticBodies bodies)
    {
        _bodies = bodies;
    }

    [HttpGet("{key}")]
    public IActionResult Get(string key, [FromQuery(Name = "nsfilter"), BindRequired] string nsfilter) =>
        _bodies.TryGet(key, out var stored) && nsfilter.Length > 0 ? File(stored.Body, stored.ContentType) : NotFound();
}
