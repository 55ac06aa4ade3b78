namespace OrchRunService.Application.Common.Interfaces;

/// <summary>Who is calling; the id goes into a run's <c>_createdby</c>.</summary>
public interface ICurrentUser
{
    string UserId { get; }
}
