using System.Net;
using OrchRunService.Infrastructure.Connectors.Http;

namespace OrchRunService.Infrastructure.IntegrationTests.Connectors;

public sealed class NetworkAddressPolicyTests
{
    [TestCase("127.0.0.1")]
    [TestCase("127.255.0.9")]
    [TestCase("0.0.0.0")]
    [TestCase("10.1.2.3")]
    [TestCase("172.16.0.1")]
    [TestCase("172.31.255.254")]
    [TestCase("192.168.1.1")]
    [TestCase("100.64.0.1")]
    [TestCase("100.127.255.254")]
    [TestCase("169.254.169.254")]
    [TestCase("224.0.0.251")]
    [TestCase("255.255.255.255")]
    [TestCase("::")]
    [TestCase("::1")]
    [TestCase("fe80::1")]
    [TestCase("fc00::1")]
    [TestCase("fd12:3456::1")]
    [TestCase("ff02::1")]
    [TestCase("::ffff:10.0.0.1")]
    [TestCase("::ffff:169.254.169.254")]
    [TestCase("::127.0.0.1")]
    [TestCase("::10.0.0.1")]
    public void Refusal_WhenTheAddressIsInternal_SaysWhy(string address)
    {
        var policy = new NetworkAddressPolicy(new HttpRequestConnectorOptions());

        Assert.That(policy.Refusal("example.test", IPAddress.Parse(address)), Is.Not.Null);
    }

    [TestCase("8.8.8.8")]
    [TestCase("172.32.0.1")]
    [TestCase("100.128.0.1")]
    [TestCase("2001:4860:4860::8888")]
    [TestCase("::ffff:8.8.8.8")]
    public void Refusal_WhenTheAddressIsPublic_IsNull(string address)
    {
        var policy = new NetworkAddressPolicy(new HttpRequestConnectorOptions());

        Assert.That(policy.Refusal("example.test", IPAddress.Parse(address)), Is.Null);
    }

    [Test]
    public void Refusal_WhenAllowListedByCidrOrName_IsNullForThoseOnly()
    {
        var options = new HttpRequestConnectorOptions();
        options.AllowedHosts.Add("10.20.0.0/16");
        options.AllowedHosts.Add("Build.Internal");
        var policy = new NetworkAddressPolicy(options);

        Assert.Multiple(() =>
        {
            Assert.That(policy.Refusal("any.test", IPAddress.Parse("10.20.3.4")), Is.Null);
            Assert.That(policy.Refusal("any.test", IPAddress.Parse("::ffff:10.20.3.4")), Is.Null);
            Assert.That(policy.Refusal("any.test", IPAddress.Parse("10.21.3.4")), Is.EqualTo("in a private network"));
            Assert.That(policy.Refusal("build.internal", IPAddress.Parse("192.168.0.7")), Is.Null);
            Assert.That(policy.Refusal("other.internal", IPAddress.Parse("192.168.0.7")), Is.EqualTo("in a private network"));
        });
    }
}
