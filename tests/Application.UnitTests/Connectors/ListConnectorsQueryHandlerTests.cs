using Moq;
using OrchRunService.Application.Connectors.Queries.ListConnectors;
using OrchRunService.Application.OrchRuns.Execution;

namespace OrchRunService.Application.UnitTests.Connectors;

public class ListConnectorsQueryHandlerTests
{
    [Test]
    public async Task Handle_WhenConnectorsDeclareParameters_ListsThemAsDeclared()
    {
        var id = Guid.NewGuid();
        var connector = new Mock<IConnector>();
        connector.SetupGet(c => c.ComponentId).Returns(id);
        connector.SetupGet(c => c.Name).Returns("loop");
        connector.SetupGet(c => c.Parameters).Returns([ConnectorParameter.Integer("n", 3, 1, 9, "How many.")]);
        var catalog = new Mock<IConnectorCatalog>();
        catalog.SetupGet(c => c.All).Returns([connector.Object]);

        var list = await new ListConnectorsQueryHandler(catalog.Object).Handle(new ListConnectorsQuery(TestData.Namespace), CancellationToken.None);

        Assert.That(list, Has.Count.EqualTo(1));
        var parameter = list[0].Parameters.Single();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(list[0].Id, Is.EqualTo(id));
            Assert.That(list[0].Name, Is.EqualTo("loop"));
            Assert.That((parameter.Name, parameter.Type, parameter.Default, parameter.Minimum, parameter.Maximum, parameter.Required),
                Is.EqualTo(("n", "integer", "3", 1L, 9L, false)));
        }
    }
}
