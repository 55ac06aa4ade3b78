using FluentValidation;
using FluentValidation.Results;
using Moq;
using OrchRunService.Application.Common.Behaviors;
using OrchRunService.Application.Common.Exceptions;
using OrchRunService.Application.OrchRuns;
using OrchRunService.Application.OrchRuns.Queries.GetOrchRun;

namespace OrchRunService.Application.UnitTests.Common.Behaviors;

public class ValidationBehaviorTests
{
    private static readonly GetOrchRunQuery Query = new(TestData.Namespace, Guid.NewGuid());

    private int _nextCalls;

    private static OrchRunDto Response { get; } = TestData.NewRun().ToDto();

    [SetUp]
    public void SetUp() => _nextCalls = 0;

    private ValueTask<OrchRunDto> Next(GetOrchRunQuery message, CancellationToken cancellationToken)
    {
        _nextCalls++;
        return ValueTask.FromResult(Response);
    }

    private static Mock<IValidator<GetOrchRunQuery>> ValidatorWith(params ValidationFailure[] failures)
    {
        var validator = new Mock<IValidator<GetOrchRunQuery>>();
        validator.Setup(v => v.ValidateAsync(It.IsAny<GetOrchRunQuery>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(new ValidationResult(failures));
        return validator;
    }

    [Test]
    public async Task Handle_WhenThereAreNoValidators_CallsNext()
    {
        var behavior = new ValidationBehavior<GetOrchRunQuery, OrchRunDto>([]);

        var response = await behavior.Handle(Query, Next, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response, Is.SameAs(Response));
            Assert.That(_nextCalls, Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Handle_WhenEveryValidatorPasses_CallsNextOnceAndReturnsItsResponse()
    {
        var first = ValidatorWith();
        var second = ValidatorWith();
        var behavior = new ValidationBehavior<GetOrchRunQuery, OrchRunDto>([first.Object, second.Object]);

        var response = await behavior.Handle(Query, Next, CancellationToken.None);

        using (Assert.EnterMultipleScope())
        {
            Assert.That(response, Is.SameAs(Response));
            Assert.That(_nextCalls, Is.EqualTo(1));
        }

        first.Verify(v => v.ValidateAsync(Query, It.IsAny<CancellationToken>()), Times.Once);
        second.Verify(v => v.ValidateAsync(Query, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Test]
    public async Task Handle_WhenAValidatorFails_ThrowsRequestValidationExceptionWithoutCallingNext()
    {
        var behavior = new ValidationBehavior<GetOrchRunQuery, OrchRunDto>(
            [ValidatorWith(new ValidationFailure("id", "id must be a GUID.")).Object]);

        var ex = await Assert.ThrowsAsync<RequestValidationException>(() => behavior.Handle(Query, Next, CancellationToken.None).AsTask());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex?.Errors.Keys, Is.EquivalentTo(new[] { "id" }));
            Assert.That(ex?.Errors["id"], Is.EqualTo(new[] { "id must be a GUID." }));
            Assert.That(_nextCalls, Is.Zero);
        }
    }

    [Test]
    public async Task Handle_WhenSeveralValidatorsFail_GroupsTheMessagesPerFieldWithoutRepeats()
    {
        var first = ValidatorWith(
            new ValidationFailure("nsfilter", "The nsfilter query parameter is required."),
            new ValidationFailure("id", "id must be a GUID."));
        var second = ValidatorWith(
            new ValidationFailure("id", "id must be a GUID."),
            new ValidationFailure("id", "id is required."));
        var behavior = new ValidationBehavior<GetOrchRunQuery, OrchRunDto>([first.Object, second.Object]);

        var ex = await Assert.ThrowsAsync<RequestValidationException>(() => behavior.Handle(Query, Next, CancellationToken.None).AsTask());

        using (Assert.EnterMultipleScope())
        {
            Assert.That(ex?.Errors.Keys, Is.EquivalentTo(new[] { "nsfilter", "id" }));
            Assert.That(ex?.Errors["id"], Is.EqualTo(new[] { "id must be a GUID.", "id is required." }));
            Assert.That(ex?.Errors["nsfilter"], Is.EqualTo(new[] { "The nsfilter query parameter is required." }));
        }
    }

    [Test]
    public async Task Handle_WithTheRealValidator_ReportsWireFieldNames()
    {
        var behavior = new ValidationBehavior<GetOrchRunQuery, OrchRunDto>([new GetOrchRunQueryValidator()]);

        var ex = await Assert.ThrowsAsync<RequestValidationException>(
            () => behavior.Handle(new GetOrchRunQuery("bad ns", Guid.NewGuid()), Next, CancellationToken.None).AsTask());

        Assert.That(ex?.Errors.Keys, Is.EquivalentTo(new[] { "nsfilter" }));
    }

    [Test]
    public async Task Handle_WhenCalled_PassesTheCancellationTokenToValidators()
    {
        using var cts = new CancellationTokenSource();
        var validator = ValidatorWith();
        var behavior = new ValidationBehavior<GetOrchRunQuery, OrchRunDto>([validator.Object]);

        await behavior.Handle(Query, Next, cts.Token);

        validator.Verify(v => v.ValidateAsync(Query, cts.Token), Times.Once);
    }

    [Test]
    public void Handle_WhenNextIsNull_ThrowsArgumentNullException()
    {
        var behavior = new ValidationBehavior<GetOrchRunQuery, OrchRunDto>([]);

        Assert.That(() => behavior.Handle(Query, null!, CancellationToken.None).AsTask(), Throws.ArgumentNullException);
    }
}
