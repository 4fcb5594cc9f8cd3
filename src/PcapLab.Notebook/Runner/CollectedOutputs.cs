using System.Text.Json.Nodes;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Runner;

/// <summary>
/// A cell's outputs as nbformat output dicts, collected in the order the cell made them: consecutive stream text of one
/// name is merged (as Jupyter front ends do), display updates replace outputs in place, clear_output(wait) waits for the next output.
/// Stream text is also handed to <paramref name="live"/> as it arrives (the runner's progress log).
/// </summary>
internal sealed class CollectedOutputs(Action<string, string>? live = null) : ICellOutput
{
    private readonly object _gate = new();
    private readonly List<(JsonObject Output, string? DisplayId)> _outputs = [];
    private bool _clearPending;

    /// <summary>A snapshot of the outputs as nbformat output dicts (deep copies).</summary>
    public List<JsonObject> Snapshot()
    {
        lock (_gate) return [.. _outputs.Select(o => (JsonObject)o.Output.DeepClone())];
    }

    public void Stream(string name, string text)
    {
        live?.Invoke(name, text);
        lock (_gate)
        {
            ApplyPendingClear();
            if (_outputs.Count > 0 && _outputs[^1].Output is var last && (string?)last["output_type"] == "stream" && (string?)last["name"] == name)
                last["text"] = (string?)last["text"] + text;
            else
                _outputs.Add((new JsonObject { ["output_type"] = "stream", ["name"] = name, ["text"] = text }, null));
        }
    }

    public void DisplayData(MimeBundle bundle, string? displayId)
    {
        lock (_gate)
        {
            ApplyPendingClear();
            _outputs.Add((Bundle("display_data", bundle), displayId));
        }
    }

    public void UpdateDisplayData(MimeBundle bundle, string displayId)
    {
        lock (_gate)
            for (int i = 0; i < _outputs.Count; i++)
                if (_outputs[i].DisplayId == displayId) _outputs[i] = (Bundle("display_data", bundle), displayId);
    }

    public void ClearOutput(bool wait)
    {
        lock (_gate)
        {
            if (wait) { _clearPending = true; return; }
            _outputs.Clear();
            _clearPending = false;
        }
    }

    /// <summary>Adds the cell's execute_result.</summary>
    public void ExecuteResult(MimeBundle bundle, int executionCount)
    {
        lock (_gate)
        {
            ApplyPendingClear();
            var o = Bundle("execute_result", bundle);
            o["execution_count"] = executionCount;
            _outputs.Add((o, null));
        }
    }

    /// <summary>Adds the cell's error output.</summary>
    public void Error(string ename, string evalue, IReadOnlyList<string> traceback)
    {
        lock (_gate)
        {
            ApplyPendingClear();
            _outputs.Add((new JsonObject
            {
                ["output_type"] = "error",
                ["ename"] = ename,
                ["evalue"] = evalue,
                ["traceback"] = new JsonArray([.. traceback.Select(t => (JsonNode?)t)]),
            }, null));
        }
    }

    private void ApplyPendingClear()
    {
        if (!_clearPending) return;
        _outputs.Clear();
        _clearPending = false;
    }

    // nbformat keeps execute_result's keys in this order: output_type, (execution_count), data, metadata.
    private static JsonObject Bundle(string type, MimeBundle bundle) => new()
    {
        ["output_type"] = type,
        ["data"] = bundle.DataJson(),
        ["metadata"] = bundle.Metadata.DeepClone(),
    };
}
