namespace OrchRunService.Api.ReliabilityTests.Fuzzing;

[Category("Fuzz")]
public sealed class RegressionSeedsTests
{
    [Test]
    public void Read_WhenLinesHoldCommentsBlanksAndSeeds_ReturnsTheSeedsInFileOrder()
    {
        var seeds = RegressionSeeds.Read(["# header", "", "  42   3000  abc1234  found a thing  ", "7 10 def5678 another"]);

        Assert.That(seeds, Is.EqualTo(new[]
        {
            new RegressionSeed(42, 3000, "abc1234", "found a thing"),
            new RegressionSeed(7, 10, "def5678", "another"),
        }));
    }

    [TestCase("42")]
    [TestCase("42 3000 abc1234")]
    [TestCase("-1 3000 abc1234 x")]
    [TestCase("42 0 abc1234 x")]
    [TestCase("seed 3000 abc1234 x")]
    public void Read_WhenALineIsNotSeedCasesCommitAndFinding_ThrowsNamingTheLine(string line)
    {
        Assert.That(() => RegressionSeeds.Read(["# ok", line]), Throws.TypeOf<FormatException>().With.Message.Contains("line 2"));
    }

    /// <summary>The committed list parses and keeps the seed of issue 20 (a lone surrogate in a params key was a 500).</summary>
    [Test]
    public void CommittedList_WhenRead_HoldsTheIssue20Seed()
    {
        var seeds = RegressionSeeds.Read(File.ReadAllLines(RegressionSeeds.FilePath));

        Assert.That(seeds.Select(s => (s.Seed, s.Cases)), Does.Contain((7191372825634450017UL, 3000)));
    }
}
