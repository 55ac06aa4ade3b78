// Each fixture measures the service under bad input, faults or load; they run one at a time so
// one fixture's load does not become another's fault.
[assembly: NonParallelizable]
