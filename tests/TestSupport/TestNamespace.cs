namespace OrchRunService.TestSupport;

/// <summary>Every test works in a namespace of its own, so tests sharing one database do not see each other.</summary>
public static class TestNamespace
{
    public static string New() => "t_" + Guid.NewGuid().ToString("N")[..20];
}
