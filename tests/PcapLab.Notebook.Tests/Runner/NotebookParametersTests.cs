using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PcapLab.Notebook.Runner;

namespace PcapLab.Notebook.Tests.Runner;

/// <summary>Parameters: declarations read from the parameters cell, values typed from the defaults, literals Roslyn reads back exactly.</summary>
public class NotebookParametersTests
{
    [Fact]
    public void Declarations_are_read_with_their_types_and_defaults()
    {
        var declared = NotebookParameters.Declared("""
            #!csharp
            var pcap = "datasets/x.pcap";
            string label = @"c:\evidence";
            int top = 10;
            double threshold = 0.5;
            bool verbose = false;
            var big = 5_000_000_000;
            var ratio = -0.25;
            float f = 1.5f;
            long? maybe = null;
            var started = DateTime.UtcNow;
            const int Fixed = 3;
            Console.WriteLine(pcap);
            """);
        Assert.Equal(
            [("pcap", "string", "\"datasets/x.pcap\""), ("label", "string", "@\"c:\\evidence\""), ("top", "int", "10"),
             ("threshold", "double", "0.5"), ("verbose", "bool", "false"), ("big", "long", "5_000_000_000"), ("ratio", "double", "-0.25"),
             ("f", "float", "1.5f"), ("maybe", "long?", "null"), ("started", null, "DateTime.UtcNow")],
            declared.Select(p => (p.Name, p.Type, p.Default)).ToArray());
    }

    public static TheoryData<string> Strings => new()
    {
        "\"; System.IO.File.Delete(\"x\"); //",
        "C:\\evidence\\new folder\\a.pcap",
        "line one\nline two\r\n\ttabbed",
        "\\\"\\\\\"",
        "{interpolation} $\"{x}\" @\"verbatim\"",
        "\u2028 unicode é ✓ \0 nul",
        "",
    };

    [Theory]
    [MemberData(nameof(Strings))]
    public void A_string_value_becomes_a_literal_that_Roslyn_reads_back_exactly(string value)
    {
        var literal = NotebookParameters.Literal(new NotebookParameter("pcap", "string", "\"\""), value);
        // Roslyn is the oracle: the declaration parses to one string literal whose value is the input, nothing more.
        var tree = CSharpSyntaxTree.ParseText($"string pcap = {literal};", CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        Assert.Empty(tree.GetDiagnostics());
        var root = tree.GetCompilationUnitRoot();
        var member = Assert.Single(root.Members);
        var init = Assert.IsType<FieldDeclarationSyntax>(member).Declaration.Variables.Single().Initializer!.Value;
        var lit = Assert.IsType<LiteralExpressionSyntax>(init);
        Assert.Equal(value, lit.Token.ValueText);
    }

    [Theory]
    [InlineData("int", "42", "42")]
    [InlineData("int", " -7 ", "-7")]
    [InlineData("long", "5000000000", "5000000000L")]
    [InlineData("double", "1e3", "1000d")]
    [InlineData("double", "0.1", "0.1d")]
    [InlineData("float", "2.5", "2.5f")]
    [InlineData("decimal", "19.99", "19.99m")]
    [InlineData("bool", "TRUE", "true")]
    [InlineData("bool", "false", "false")]
    [InlineData("int?", "3", "3")]
    public void Numbers_and_booleans_are_typed_by_the_default(string type, string value, string literal) =>
        Assert.Equal(literal, NotebookParameters.Literal(new NotebookParameter("p", type, "0"), value));

    [Theory]
    [InlineData("int", "abc")]
    [InlineData("int", "3000000000")]
    [InlineData("int", "1.5")]
    [InlineData("double", "NaN")]
    [InlineData("double", "1,5")]
    [InlineData("bool", "yes")]
    [InlineData("long", "2; File.Delete(\"x\")")]
    public void A_value_that_does_not_fit_the_type_names_the_parameter(string type, string value)
    {
        var ex = Assert.Throws<ParameterException>(() => NotebookParameters.Literal(new NotebookParameter("top", type, "10"), value));
        Assert.Contains("'top'", ex.Message);
    }

    [Fact]
    public void Injected_source_declares_known_parameters_in_declaration_order_and_reports_unknown_ones()
    {
        var declared = NotebookParameters.Declared("var pcap = \"a\";\nint top = 10;\nbool verbose = false;");
        var source = NotebookParameters.InjectedSource(declared,
            [new("top", "5"), new("nope", "1"), new("pcap", "b.pcap"), new("top", "6")], out var unknown, out var applied);
        Assert.Equal("// Parameters injected by pcaplab run\nstring pcap = \"b.pcap\";\nint top = 6;\n", source);
        Assert.Equal(["nope"], unknown);
        Assert.Equal([new("pcap", "b.pcap"), new("top", "6")], applied);
    }

    [Fact]
    public void A_parameter_whose_type_cannot_be_set_is_an_error()
    {
        var declared = NotebookParameters.Declared("var started = DateTime.UtcNow;");
        var ex = Assert.Throws<ParameterException>(() => NotebookParameters.InjectedSource(declared, [new("started", "2024")], out _, out _));
        Assert.Contains("'started'", ex.Message);
    }

    [Fact]
    public void Yaml_values_are_scalars_in_file_order()
    {
        var values = NotebookParameters.ReadYaml(Fixtures.Path_("params.yaml"));
        Assert.Equal([new("pcap", "from yaml.pcap"), new("top", "7"), new("threshold", "0.25"), new("verbose", "true")], values);
    }

    [Fact]
    public void Yaml_lists_are_rejected_with_the_name()
    {
        using var tmp = new Fixtures.TempDir();
        File.WriteAllText(tmp.File("p.yaml"), "hosts:\n  - a\n  - b\n");
        var ex = Assert.Throws<ParameterException>(() => NotebookParameters.ReadYaml(tmp.File("p.yaml")));
        Assert.Contains("'hosts'", ex.Message);
    }

    [Theory]
    [InlineData("top=5", "top", "5")]
    [InlineData("q=a=b", "q", "a=b")]
    [InlineData("empty=", "empty", "")]
    public void Assignments_split_at_the_first_equals(string text, string name, string value) =>
        Assert.Equal(new KeyValuePair<string, string?>(name, value), NotebookParameters.ParseAssignment(text));
}
