using Moq;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.Common.Models;
using OrchRunService.Application.Secrets.Commands.DeleteSecret;
using OrchRunService.Application.Secrets.Commands.PutSecret;
using OrchRunService.Application.Secrets.Queries.GetSecret;
using OrchRunService.Application.Secrets.Queries.ListSecrets;
using OrchRunService.Domain.Secrets;

namespace OrchRunService.Application.UnitTests.Secrets;

/// <summary>The four secret handlers: what they store, and that no answer carries a value.</summary>
public class SecretHandlerTests
{
    private const string Value = "plain-value-123";
    private const string Protected = "CfDJ8-protected";

    private Mock<ISecretRepository> _secrets = null!;
    private Mock<ISecretProtector> _protector = null!;

    [SetUp]
    public void SetUp()
    {
        _secrets = new Mock<ISecretRepository>();
        _protector = new Mock<ISecretProtector>();
        _protector.Setup(p => p.Protect(Value)).Returns(Protected);
    }

    [Test]
    public async Task PutHandle_WhenTheSecretIsNew_AddsItProtectedAndSaysCreated()
    {
        Secret? added = null;
        _secrets.Setup(s => s.FindAsync(TestData.Namespace, "token", It.IsAny<CancellationToken>())).ReturnsAsync((Secret?)null);
        _secrets.Setup(s => s.Add(It.IsAny<Secret>())).Callback<Secret>(s => added = s);

        var result = await PutHandler().Handle(new PutSecretCommand(TestData.Namespace, "token", Value), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Created, Is.True);
            Assert.That(added!.ProtectedValue, Is.EqualTo(Protected), "only the protected value is stored");
            Assert.That(added.Namespace, Is.EqualTo(TestData.Namespace));
            Assert.That(result.Secret.Name, Is.EqualTo("token"));
            Assert.That(result.Secret.CreatedAt, Is.EqualTo(TestData.NowEpochMs));
            Assert.That(result.Secret.UpdatedAt, Is.Null);
        }

        _secrets.Verify(s => s.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task PutHandle_WhenTheSecretExists_ReplacesItsValueAndSaysReplaced()
    {
        var existing = Secret.Create(TestData.Namespace, "token", "old", TestData.Now.AddDays(-1));
        _secrets.Setup(s => s.FindAsync(TestData.Namespace, "token", It.IsAny<CancellationToken>())).ReturnsAsync(existing);

        var result = await PutHandler().Handle(new PutSecretCommand(TestData.Namespace, "token", Value), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Created, Is.False);
            Assert.That(existing.ProtectedValue, Is.EqualTo(Protected));
            Assert.That(result.Secret.UpdatedAt, Is.EqualTo(TestData.NowEpochMs));
        }

        _secrets.Verify(s => s.Add(It.IsAny<Secret>()), Times.Never);
        _secrets.Verify(s => s.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public void PutCommand_WhenPrinted_DoesNotShowTheValue()
    {
        Assert.That(new PutSecretCommand(TestData.Namespace, "token", Value).ToString(), Does.Not.Contain(Value).And.Contain("token"));
    }

    [Test]
    public async Task DeleteHandle_WhenFound_RemovesAndSaves()
    {
        var existing = Secret.Create(TestData.Namespace, "token", Protected, TestData.Now);
        _secrets.Setup(s => s.FindAsync(TestData.Namespace, "token", It.IsAny<CancellationToken>())).ReturnsAsync(existing);

        await new DeleteSecretCommandHandler(_secrets.Object).Handle(new DeleteSecretCommand(TestData.Namespace, "token"), CancellationToken.None);

        _secrets.Verify(s => s.Remove(existing), Times.Once);
        _secrets.Verify(s => s.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public void DeleteHandle_WhenMissing_ThrowsNotFoundWithoutSaving()
    {
        _secrets.Setup(s => s.FindAsync(TestData.Namespace, "token", It.IsAny<CancellationToken>())).ReturnsAsync((Secret?)null);

        Assert.That(
            () => new DeleteSecretCommandHandler(_secrets.Object).Handle(new DeleteSecretCommand(TestData.Namespace, "token"), CancellationToken.None).AsTask(),
            Throws.TypeOf<NotFoundException>().With.Property(nameof(NotFoundException.Resource)).EqualTo("Secret"));
        _secrets.Verify(s => s.SaveChangesAsync(It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public async Task GetHandle_WhenFound_ShowsNameAndTimesOnly()
    {
        var existing = Secret.Create(TestData.Namespace, "token", Protected, TestData.Now);
        _secrets.Setup(s => s.FindAsync(TestData.Namespace, "token", It.IsAny<CancellationToken>())).ReturnsAsync(existing);

        var dto = await new GetSecretQueryHandler(_secrets.Object).Handle(new GetSecretQuery(TestData.Namespace, "token"), CancellationToken.None);

        Assert.That((dto.Name, dto.CreatedAt, dto.UpdatedAt), Is.EqualTo(("token", TestData.NowEpochMs, (string?)null)));
    }

    [Test]
    public void GetHandle_WhenMissing_ThrowsNotFound()
    {
        _secrets.Setup(s => s.FindAsync(TestData.Namespace, "token", It.IsAny<CancellationToken>())).ReturnsAsync((Secret?)null);

        Assert.That(
            () => new GetSecretQueryHandler(_secrets.Object).Handle(new GetSecretQuery(TestData.Namespace, "token"), CancellationToken.None).AsTask(),
            Throws.TypeOf<NotFoundException>());
    }

    [Test]
    public async Task ListHandle_WhenPagingIsLeftOut_AsksForTheDefaultPageAndKeepsTheTotal()
    {
        var items = new[] { Secret.Create(TestData.Namespace, "a", Protected, TestData.Now) };
        _secrets.Setup(s => s.ListAsync(TestData.Namespace, 0, 20, It.IsAny<CancellationToken>())).ReturnsAsync(new PagedResult<Secret>(items, 41));

        var page = await new ListSecretsQueryHandler(_secrets.Object).Handle(new ListSecretsQuery(TestData.Namespace, null, null), CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That((page.Offset, page.PageSize, page.Total), Is.EqualTo((0, 20, 41)));
            Assert.That(page.List.Select(s => s.Name), Is.EqualTo(new[] { "a" }));
        }
    }

    private PutSecretCommandHandler PutHandler() => new(_secrets.Object, _protector.Object, TestData.NewClock());
}
