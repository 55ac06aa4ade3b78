using System.Text.Json;
using OrchRunService.Application.Common.Models;

namespace OrchRunService.Application.UnitTests.Common.Models;

public class WireFormatTests
{
    [Test]
    public void ToEpochMilliseconds_WhenGivenAnInstant_WritesItsUnixMillisecondsAsText()
    {
        Assert.That(WireFormat.ToEpochMilliseconds(TestData.Now), Is.EqualTo("1675164393072"));
    }

    [Test]
    public void ToEpochMilliseconds_WhenTheInstantHasAnOffset_WritesTheSameInstant()
    {
        Assert.That(WireFormat.ToEpochMilliseconds(TestData.Now.ToOffset(TimeSpan.FromHours(5))), Is.EqualTo("1675164393072"));
    }

    [Test]
    public void ToEpochMilliseconds_WhenNull_ReturnsNull()
    {
        Assert.That(WireFormat.ToEpochMilliseconds((DateTimeOffset?)null), Is.Null);
    }

    [Test]
    public void ToJsonElement_WhenGivenParameters_ReturnsAnObjectThatOutlivesTheDocument()
    {
        var element = WireFormat.ToJsonElement(TestData.Params("""{"a":[1,2]}"""));

        using (Assert.EnterMultipleScope())
        {
            Assert.That(element.ValueKind, Is.EqualTo(JsonValueKind.Object));
            Assert.That(element.GetRawText(), Is.EqualTo("""{"a":[1,2]}"""));
        }
    }
}
