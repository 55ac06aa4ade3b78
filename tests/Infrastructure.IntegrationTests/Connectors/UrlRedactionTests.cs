using OrchRunService.Infrastructure.Connectors.Http;

namespace OrchRunService.Infrastructure.IntegrationTests.Connectors;

public sealed class UrlRedactionTests
{
    [TestCase("https://example.com/a/b", "https://example.com/a/b")]
    [TestCase("https://example.com", "https://example.com/")]
    [TestCase("http://example.com:8080/x", "http://example.com:8080/x")]
    [TestCase("https://user:secret@example.com/x", "https://***@example.com/x")]
    [TestCase("https://token@example.com/x", "https://***@example.com/x")]
    [TestCase("https://example.com/x?token=abc&page=2", "https://example.com/x?token=***&page=***")]
    [TestCase("https://example.com/x?abc123", "https://example.com/x?***")]
    [TestCase("https://example.com/x?a=&b", "https://example.com/x?a=***&***")]
    [TestCase("https://example.com/x?token=abc#frag", "https://example.com/x?token=***")]
    [TestCase("http://[::1]:81/x?k=v", "http://[::1]:81/x?k=***")]
    public void ForLog_MasksUserInfoAndEveryQueryValue(string url, string expected)
    {
        Assert.That(UrlRedaction.ForLog(new Uri(url)), Is.EqualTo(expected));
    }
}
