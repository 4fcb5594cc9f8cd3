using PcapLab.Charts;

namespace PcapLab.Engine.Tests.Charts;

/// <summary>Every chart kind's JSON uses only attribute names (and enumerated values) that plotly.js's own schema accepts.</summary>
public class ChartSchemaTests
{
    public static TheoryData<string> Kinds() => new(SampleFigures.All().Select(s => s.Kind));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Figure_json_validates_against_plotly_schema(string kind)
    {
        var fig = SampleFigures.All().Single(s => s.Kind == kind).Build();
        var errors = PlotlySchema.Shared.Validate(fig.ToJson());
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void Validator_names_the_path_of_an_unknown_or_misvalued_attribute()
    {
        const string json = """
            {"data":[{"type":"bar","x":[1],"colour":"red","marker":{"colr":"red"},"orientation":"sideways"}],
             "layout":{"xaxis3":{"title":{"text":"t"},"tpye":"log"},"annotations":[{"text":"a","bogus":1}],"barmode":"group"},
             "config":{"displaylogo":false,"cdn":true}}
            """;
        var errors = PlotlySchema.Shared.Validate(json);
        Assert.Contains("data[0].colour: unknown attribute", errors);
        Assert.Contains("data[0].marker.colr: unknown attribute", errors);
        Assert.Contains(errors, e => e.StartsWith("data[0].orientation: \"sideways\" is not one of"));
        Assert.Contains("layout.xaxis3.tpye: unknown attribute", errors);
        Assert.Contains("layout.annotations[0].bogus: unknown attribute", errors);
        Assert.Contains("config.cdn: unknown attribute", errors);
        Assert.Equal(6, errors.Count);
    }

    [Fact]
    public void Layout_attributes_of_a_trace_type_are_only_accepted_with_that_trace()
    {
        // boxmode belongs to box traces' layout attributes, so a figure without boxes must not use it.
        var errors = PlotlySchema.Shared.Validate("""{"data":[{"type":"scatter"}],"layout":{"boxmode":"group"}}""");
        Assert.Equal(["layout.boxmode: unknown attribute"], errors);
    }
}
