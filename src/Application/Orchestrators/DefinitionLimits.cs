using OrchRunService.Domain.Orchestrators;
using OrchRunService.Domain.OrchRuns;

namespace OrchRunService.Application.Orchestrators;

/// <summary>The configured bounds an orchestrator definition is checked against.</summary>
public sealed record DefinitionLimits(OrchestratorStepLimit Steps, RunParamsLimit RunParams)
{
    public static DefinitionLimits Default { get; } = new(new OrchestratorStepLimit(OrchestratorStepLimit.Default), new RunParamsLimit(RunParamsLimit.Default));
}
