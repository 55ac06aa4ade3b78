using OrchRunService.Domain.Common;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Domain.UnitTests.Secrets;

public class SecretTests
{
    private static readonly DateTimeOffset Later = TestData.Now.AddHours(1);

    [Test]
    public void Create_WhenValid_KeepsNameNamespaceValueAndCreationTime()
    {
        var secret = Secret.Create(TestData.Namespace, "api-token.v2_x", "protected", TestData.Now);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(secret.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(secret.Name, Is.EqualTo("api-token.v2_x"));
            Assert.That(secret.ProtectedValue, Is.EqualTo("protected"));
            Assert.That(secret.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(secret.UpdatedAt, Is.Null);
        }
    }

    [TestCase("")]
    [TestCase("-starts-with-dash")]
    [TestCase(".hidden")]
    [TestCase("has space")]
    [TestCase("slash/name")]
    [TestCase("ümlaut")]
    [TestCase("new\nline")]
    public void Create_WhenTheNameBreaksTheRule_Throws(string name)
    {
        Assert.That(() => Secret.Create(TestData.Namespace, name, "p", TestData.Now),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Name"));
    }

    [Test]
    public void IsValidName_AtTheLengthLimit_AcceptsItAndRefusesOneMore()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(Secret.IsValidName(new string('a', Secret.MaxNameLength)), Is.True);
            Assert.That(Secret.IsValidName(new string('a', Secret.MaxNameLength + 1)), Is.False);
            Assert.That(Secret.IsValidName(null), Is.False);
        }
    }

    [Test]
    public void Create_WhenTheValueIsEmpty_Throws()
    {
        Assert.That(() => Secret.Create(TestData.Namespace, "a", "", TestData.Now),
            Throws.TypeOf<DomainValidationException>().With.Property(nameof(DomainValidationException.Field)).EqualTo("Value"));
    }

    [Test]
    public void Replace_WhenGivenANewValue_KeepsTheCreationTimeAndSetsTheUpdateTime()
    {
        var secret = Secret.Create(TestData.Namespace, "a", "old", TestData.Now);

        secret.Replace("new", Later);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(secret.ProtectedValue, Is.EqualTo("new"));
            Assert.That(secret.CreatedAt, Is.EqualTo(TestData.Now));
            Assert.That(secret.UpdatedAt, Is.EqualTo(Later));
        }
    }
}
