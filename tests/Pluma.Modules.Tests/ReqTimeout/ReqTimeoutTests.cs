using Pluma.Http;
using Pluma.Modules.ReqTimeout;
using Pluma.Modules.Tests.Support;

namespace Pluma.Modules.Tests.ReqTimeout;

public class ReqTimeoutTests
{
    [Fact]
    public void DebiansLinesParseIntoStages()
    {
        var m = ReqTimeoutModule.Create();
        var config = ConfigFixture.Load("RequestReadTimeout header=20-40,minrate=500\nRequestReadTimeout body=10,MinRate=500\n", m);
        ReqTimeoutServerConfig c = ConfigFixture.Server<ReqTimeoutServerConfig>(config, m);
        Assert.Equal(new RequestReadTimeout(TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(40), 500), c.EffectiveHeader);
        Assert.Equal(new RequestReadTimeout(TimeSpan.FromSeconds(10), TimeSpan.Zero, 500), c.EffectiveBody);
        Assert.Null(c.Handshake);
    }

    [Fact]
    public void UnsetStagesUseApachesDefaults()
    {
        var c = new ReqTimeoutServerConfig();
        Assert.Equal(ReqTimeoutDefaults.Header, c.EffectiveHeader);
        Assert.Equal(TimeSpan.FromSeconds(20), c.EffectiveBody.Initial);
    }

    [Theory]
    [InlineData("RequestReadTimeout header=20-40", "RequestReadTimeout: header=20-40: Must set MinRate option if using timeout range")]
    [InlineData("RequestReadTimeout header=abc", "RequestReadTimeout: header=abc: Value 'abc' not numerical")]
    [InlineData("RequestReadTimeout foo=1", "RequestReadTimeout: foo=1: Unknown RequestReadTimeout parameter")]
    [InlineData("RequestReadTimeout header", "Invalid RequestReadTimeout parameter. Parameter must be in the form 'key=value'")]
    [InlineData("RequestReadTimeout header=20,minrate=0", "RequestReadTimeout: header=20,minrate=0: Minimum data rate must be larger than 0")]
    [InlineData("RequestReadTimeout header=40-20,minrate=5", "RequestReadTimeout: header=40-20,minrate=5: Maximum timeout must be larger than initial timeout")]
    public void BadValuesAreRefusedWithApachesText(string line, string error)
    {
        Assert.Equal(error, ConfigFixture.LoadFails(line + "\n", ReqTimeoutModule.Create()).Reason);
    }
}
