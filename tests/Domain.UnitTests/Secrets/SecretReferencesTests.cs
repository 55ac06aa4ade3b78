using System.Text.Json;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Domain.UnitTests.Secrets;

public class SecretReferencesTests
{
    private const string Params =
        """{"url":"https://h/x","headers":{"Authorization":{"$secret":"token"},"X-Other":"plain"},"body":[{"k":{"$secret":"pw"}},{"$secret":"token"}]}""";

    [Test]
    public void Names_WhenReferencesAreNestedInObjectsAndArrays_FindsEachNameOnce()
    {
        using var document = JsonDocument.Parse(Params);

        Assert.That(SecretReferences.Names(document.RootElement), Is.EquivalentTo(new[] { "token", "pw" }));
    }

    [Test]
    public void Resolve_WhenEveryNameHasAValue_PutsTheValuesInPlaceAndLeavesTheRest()
    {
        var resolved = SecretReferences.Resolve(Params, new Dictionary<string, string> { ["token"] = "T", ["pw"] = "P\"q" });

        Assert.That(resolved, Is.EqualTo("""{"url":"https://h/x","headers":{"Authorization":"T","X-Other":"plain"},"body":[{"k":"P\u0022q"},"T"]}"""));
    }

    [Test]
    public void Resolve_WhenThereAreNoValues_ReturnsTheParametersAsTheyAre()
    {
        Assert.That(SecretReferences.Resolve(Params, new Dictionary<string, string>()), Is.SameAs(Params));
    }

    [Test]
    public void Problem_WhenEveryReferenceIsWellFormed_IsNull()
    {
        using var document = JsonDocument.Parse(Params);

        Assert.That(SecretReferences.Problem(document.RootElement), Is.Null);
    }

    [TestCase("""{"h":{"$secret":5}}""", "must name a secret")]
    [TestCase("""{"h":{"$secret":""}}""", "must name a secret")]
    [TestCase("""{"h":{"$secret":"has space"}}""", "must name a secret")]
    [TestCase("""{"h":{"$secret":null}}""", "must name a secret")]
    [TestCase("""{"h":[{"$secret":{"name":"a"}}]}""", "must name a secret")]
    [TestCase("""{"h":{"$secret":"a","other":1}}""", "the one key")]
    [TestCase("""{"$secret":"a"}""", "not for the parameters as a whole")]
    public void Problem_WhenAReferenceIsMalformed_SaysWhat(string parameters, string expected)
    {
        using var document = JsonDocument.Parse(parameters);

        Assert.That(SecretReferences.Problem(document.RootElement), Does.Contain(expected));
    }
}
