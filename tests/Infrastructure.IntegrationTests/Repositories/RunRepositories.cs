using OrchRunService.Domain.OrchRuns;
using OrchRunService.Infrastructure.Persistence;
using OrchRunService.Infrastructure.Persistence.Repositories;
using OrchRunService.Infrastructure.Retention;

namespace OrchRunService.Infrastructure.IntegrationTests.Repositories;

/// <summary>The run repository as the service composes it, with the default limits.</summary>
internal static class RunRepositories
{
    public static OrchRunRepository For(OrchRunDbContext db) =>
        new(db, new RunParamsLimit(RunParamsLimit.Default), new RunLogDeleter(db, new RetentionOptions()));
}
