using PcapLab.Notebook.Runner;

namespace PcapLab.Notebook.Tests.Runner;

/// <summary>Reading .ipynb and .dib notebooks, and refusing bad ones.</summary>
public class NotebookFileTests
{
    [Fact]
    public void Ipynb_cells_tags_and_generated_ids()
    {
        var nb = NotebookFile.Read(Fixtures.Path_("passing.ipynb"));
        Assert.Equal([NotebookCellKind.Markdown, NotebookCellKind.Code, NotebookCellKind.Code, NotebookCellKind.Code, NotebookCellKind.Markdown, NotebookCellKind.Code],
            nb.Cells.Select(c => c.Kind));
        Assert.Same(nb.Cells[1], nb.ParametersCell);
        Assert.StartsWith("var pcap = ", nb.Cells[1].Source);
        // nbformat 4.4 had no ids: every cell gets a valid, unique one
        Assert.All(nb.Cells, c => Assert.Matches("^[a-zA-Z0-9_-]{1,64}$", c.Id));
        Assert.Equal(nb.Cells.Count, nb.Cells.Select(c => c.Id).Distinct().Count());
    }

    [Fact]
    public void Dib_cells_split_at_kernel_lines_keep_other_magics_and_skip_meta()
    {
        var nb = NotebookFile.ParseDib("x.dib", """
            #!meta

            {"kernelInfo":{"defaultKernelName":"csharp"}}

            #!markdown

            # Title

            #!csharp

            // parameters
            var name = "world";

            #!sql

            select 42 as answer

            #!csharp
            #!time
            Console.WriteLine(1);
            """);
        Assert.Equal(4, nb.Cells.Count);
        Assert.Equal((NotebookCellKind.Markdown, "# Title"), (nb.Cells[0].Kind, nb.Cells[0].Source));
        Assert.Equal("// parameters\nvar name = \"world\";", nb.Cells[1].Source);
        Assert.True(nb.Cells[1].HasTag("parameters"));
        Assert.Equal(("sql", "#!sql\nselect 42 as answer"), (nb.Cells[2].Language, nb.Cells[2].Source));
        Assert.Equal("#!sql\nselect 42 as answer", nb.Cells[2].ExecutableSource);
        Assert.Equal(("csharp", "#!time\nConsole.WriteLine(1);"), (nb.Cells[3].Language, nb.Cells[3].Source));
    }

    [Fact]
    public void A_polyglot_ipynb_cell_in_another_kernel_runs_through_its_magic()
    {
        var nb = NotebookFile.ParseIpynb("x.ipynb", """
            {"cells": [{"cell_type": "code", "metadata": {"polyglot_notebook": {"kernelName": "sql"}}, "source": ["select 1"], "outputs": [], "execution_count": null}],
             "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
            """);
        Assert.Equal("#!sql\nselect 1", nb.Cells[0].ExecutableSource);
    }

    [Theory]
    [InlineData("bad-json", "{\"cells\": [", "not valid notebook JSON")]
    [InlineData("nbformat3", "{\"nbformat\": 3, \"nbformat_minor\": 0, \"worksheets\": [], \"metadata\": {}}", "nbformat 3")]
    [InlineData("no-cells", "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}}", "no cells")]
    [InlineData("array", "[1, 2]", "not a JSON object")]
    [InlineData("bad-type", "{\"nbformat\": 4, \"nbformat_minor\": 5, \"metadata\": {}, \"cells\": [{\"cell_type\": \"python\", \"source\": \"\"}]}", "cell_type 'python'")]
    public void Bad_notebooks_are_refused_with_a_reason(string name, string json, string reason)
    {
        var ex = Assert.Throws<NotebookFormatException>(() => NotebookFile.ParseIpynb(name + ".ipynb", json));
        Assert.Contains(reason, ex.Message);
    }

    [Fact]
    public void A_missing_notebook_is_named()
    {
        var ex = Assert.Throws<NotebookFormatException>(() => NotebookFile.Read("/nonexistent/x.ipynb"));
        Assert.Contains("'/nonexistent/x.ipynb' not found", ex.Message);
    }
}
