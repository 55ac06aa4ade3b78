using Mediator;
using Moq;
using OrchRunService.Application.Common.Behaviors;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.Common.Interfaces;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRun;

namespace OrchRunService.Application.UnitTests.Common.Behaviors;

public class NamespaceAuthorizationBehaviorTests
{
    private Mock<ICurrentUser> _user = null!;
    private NamespaceAuthorizationBehavior<GetOrchRunQuery, OrchRunDto> _behavior = null!;
    private int _nextCalls;

    [SetUp]
    public void SetUp()
    {
        _user = new Mock<ICurrentUser>();
        _behavior = new NamespaceAuthorizationBehavior<GetOrchRunQuery, OrchRunDto>(_user.Object);
        _nextCalls = 0;
    }

    private ValueTask<OrchRunDto> Next(GetOrchRunQuery query, CancellationToken cancellationToken)
    {
        _nextCalls++;
        return ValueTask.FromResult(TestData.NewRun().ToDto());
    }

    [Test]
    public async Task Handle_WhenTheCallerMayUseTheNamespace_CallsTheHandler()
    {
        _user.Setup(u => u.MayUseNamespace("team_a")).Returns(true);

        await _behavior.Handle(new GetOrchRunQuery("team_a", Guid.NewGuid()), Next, CancellationToken.None);

        Assert.That(_nextCalls, Is.EqualTo(1));
    }

    [Test]
    public async Task Handle_WhenTheCallerMayNotUseTheNamespace_ThrowsForbiddenWithoutCallingTheHandler()
    {
        _user.Setup(u => u.MayUseNamespace("team_b")).Returns(false);

        var error = await Assert.ThrowsAsync<ForbiddenAccessException>(
            () => _behavior.Handle(new GetOrchRunQuery("team_b", Guid.NewGuid()), Next, CancellationToken.None).AsTask());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(error!.Namespace, Is.EqualTo("team_b"));
            Assert.That(_nextCalls, Is.Zero);
        }
    }

    [TestCase("")]
    [TestCase("not a namespace")]
    public async Task Handle_WhenTheNamespaceIsMalformed_LeavesItToValidation(string malformed)
    {
        await _behavior.Handle(new GetOrchRunQuery(malformed, Guid.NewGuid()), Next, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(_nextCalls, Is.EqualTo(1));
            _user.Verify(u => u.MayUseNamespace(It.IsAny<string>()), Times.Never);
        }
    }
}
