using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PcapLab.Notebook.Cells;
using PcapLab.Notebook.Display;

namespace PcapLab.Notebook.Jupyter;

internal sealed partial class Kernel
{
    /// <summary>How long an interrupted cell may take to stop before the kernel leaves it running and moves on.</summary>
    private static readonly TimeSpan InterruptGrace = TimeSpan.FromSeconds(3);

    private readonly List<(int Line, string Input, string? Output)> _history = [];
    private int _executionCount;

    private async Task WorkerLoopAsync()
    {
        var reader = _requests.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
                while (reader.TryRead(out var msg))
                    await HandleShellAsync(msg).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        catch (Exception ex) { Log("worker failed: " + ex); Stop(); }
    }

    private async Task HandleShellAsync(JupyterMessage msg)
    {
        Busy(msg);
        try
        {
            switch (msg.MsgType)
            {
                case "execute_request": await ExecuteAsync(msg).ConfigureAwait(false); break;
                case "kernel_info_request": SendShell(msg, "kernel_info_reply", KernelInfo()); break;
                case "complete_request": SendShell(msg, "complete_reply", Complete(msg.Content)); break;
                case "inspect_request": SendShell(msg, "inspect_reply", Inspect(msg.Content)); break;
                case "is_complete_request": SendShell(msg, "is_complete_reply", IsComplete(msg.Content)); break;
                case "history_request": SendShell(msg, "history_reply", History(msg.Content)); break;
                case "comm_info_request": SendShell(msg, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() }); break;
                case "shutdown_request": HandleImmediate(msg, (t, c) => SendShell(msg, t, c)); break;
                case "comm_open" or "comm_msg" or "comm_close": break; // no comm targets are offered
                default: Log($"ignored unknown shell message type '{msg.MsgType}'"); break;
            }
        }
        catch (Exception ex)
        {
            Log($"{msg.MsgType} failed: {ex}");
            SendShell(msg, msg.MsgType.Replace("_request", "_reply"), ErrorContent("InternalError", ex.Message, [ex.GetType().Name + ": " + ex.Message]));
        }
        finally { Idle(msg); }
    }

    private JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "pcaplab",
        ["implementation_version"] = typeof(Kernel).Assembly.GetName().Version?.ToString(3) ?? "0.1.0",
        ["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["version"] = "14.0",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"PcapLab {typeof(Kernel).Assembly.GetName().Version?.ToString(3)}: C# cells and magics for network forensics (#!lsmagic lists them)",
        ["help_links"] = new JsonArray(),
        ["debugger"] = false,
    };

    private static JsonObject ErrorContent(string ename, string evalue, IEnumerable<string> traceback) => new()
    {
        ["status"] = "error",
        ["ename"] = ename,
        ["evalue"] = evalue,
        ["traceback"] = new JsonArray([.. traceback.Select(t => (JsonNode?)JsonValue.Create(t))]),
    };

    private async Task ExecuteAsync(JupyterMessage msg)
    {
        var c = msg.Content;
        string code = (string?)c["code"] ?? "";
        bool silent = (bool?)c["silent"] ?? false;
        bool storeHistory = !silent && ((bool?)c["store_history"] ?? true);
        bool stopOnError = (bool?)c["stop_on_error"] ?? true;
        if (storeHistory) _executionCount++;
        int count = _executionCount;
        if (!silent) Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, msg);

        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        _currentCell = cts;
        var cell = new CellContext(_session, new IopubOutput(this, msg, (bool?)c["allow_stdin"] ?? false), count, cts.Token, OutputLimit);
        CellFailure? failure;
        try { failure = await RunCellAsync(code, cell, cts).ConfigureAwait(false); }
        finally { _currentCell = null; }

        string? output = null;
        if (failure is null && cell.HasResult)
        {
            MimeBundle bundle;
            try { bundle = Formatter.ToMimeBundle(cell.Result, cell.Session.Plotly); }
            catch (Exception ex) { bundle = MimeBundle.PlainText($"<{ex.GetType().Name} while formatting: {ex.Message}>"); }
            output = bundle.PlainTextOrEmpty;
            cell.Flush();
            if (!silent)
                Publish("execute_result", new JsonObject { ["execution_count"] = count, ["data"] = bundle.DataJson(), ["metadata"] = new JsonObject() }, msg);
        }
        cell.Dispose();

        JsonObject reply;
        if (failure is null)
        {
            reply = new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["payload"] = new JsonArray(),
                ["user_expressions"] = await UserExpressionsAsync(c["user_expressions"] as JsonObject).ConfigureAwait(false),
            };
        }
        else
        {
            Publish("error", new JsonObject
            {
                ["ename"] = failure.Name,
                ["evalue"] = failure.Value,
                ["traceback"] = new JsonArray([.. failure.Traceback.Select(t => (JsonNode?)JsonValue.Create(t))]),
            }, msg);
            reply = ErrorContent(failure.Name, failure.Value, failure.Traceback);
            reply["execution_count"] = count;
        }
        // requests queued before this reply are aborted; ones a client sends after seeing it run normally
        var queued = failure != null && stopOnError ? DrainQueued() : [];
        SendShell(msg, "execute_reply", reply);
        if (storeHistory) _history.Add((count, code, output));
        foreach (var q in queued)
        {
            if (q.MsgType != "execute_request") { await HandleShellAsync(q).ConfigureAwait(false); continue; }
            Busy(q);
            SendShell(q, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
            Idle(q);
        }
    }

    // Runs the cell off the worker so a cell that ignores its token cannot hang the kernel: after an interrupt it gets
    // a grace period, then it is abandoned (its outputs and state changes are dropped) and the kernel answers.
    private async Task<CellFailure?> RunCellAsync(string code, CellContext cell, CancellationTokenSource cts)
    {
        var task = Task.Run(() => _session.RunCellAsync(code, cell));
        try
        {
            try { await task.WaitAsync(cts.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (cts.IsCancellationRequested && !task.IsCompleted)
            {
                if (await Task.WhenAny(task, Task.Delay(InterruptGrace)).ConfigureAwait(false) != task)
                {
                    cell.Abandon();
                    return CellFailure.Interrupted($"(it did not stop within {InterruptGrace.TotalSeconds:0} s and was left running; its results are discarded)");
                }
            }
            await task.ConfigureAwait(false);
            return null;
        }
        catch (CellFailure f) { return f; }
        catch (OperationCanceledException) when (cts.IsCancellationRequested) { return CellFailure.Interrupted(); }
        catch (Exception ex)
        {
            return new CellFailure(ex.GetType().Name, ex.Message, [$"{ex.GetType().FullName}: {ex.Message}"]);
        }
    }

    // After a failed cell with stop_on_error, requests already queued are answered without running them.
    private List<JupyterMessage> DrainQueued()
    {
        var list = new List<JupyterMessage>();
        while (_requests.Reader.TryRead(out var queued)) list.Add(queued);
        return list;
    }

    private async Task<JsonObject> UserExpressionsAsync(JsonObject? expressions)
    {
        var result = new JsonObject();
        if (expressions is null) return result;
        foreach (var (name, node) in expressions)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                var value = await _session.EvaluateAsync((string?)node ?? "", cts.Token).ConfigureAwait(false);
                result[name] = new JsonObject { ["status"] = "ok", ["data"] = Formatter.ToMimeBundle(value).DataJson(), ["metadata"] = new JsonObject() };
            }
            catch (Exception ex)
            {
                var f = ex as CellFailure;
                result[name] = ErrorContent(f?.Name ?? ex.GetType().Name, f?.Value ?? ex.Message, f?.Traceback ?? [ex.Message]);
            }
        }
        return result;
    }

    private JsonObject Complete(JsonObject c)
    {
        string code = (string?)c["code"] ?? "";
        int pos = CodePoints.ToUtf16(code, (int?)c["cursor_pos"] ?? code.Length);
        var (matches, start, end) = _session.Complete(code, pos);
        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = new JsonArray([.. matches.Select(m => (JsonNode?)JsonValue.Create(m))]),
            ["cursor_start"] = CodePoints.FromUtf16(code, start),
            ["cursor_end"] = CodePoints.FromUtf16(code, end),
            ["metadata"] = new JsonObject(),
        };
    }

    private JsonObject Inspect(JsonObject c)
    {
        string code = (string?)c["code"] ?? "";
        int pos = CodePoints.ToUtf16(code, (int?)c["cursor_pos"] ?? code.Length);
        var text = _session.Inspect(code, pos);
        var data = new JsonObject();
        if (text != null) data["text/plain"] = text;
        return new JsonObject { ["status"] = "ok", ["found"] = text != null, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    private JsonObject IsComplete(JsonObject c)
    {
        var status = _session.IsComplete((string?)c["code"] ?? "");
        var reply = new JsonObject { ["status"] = status };
        if (status == "incomplete") reply["indent"] = "    ";
        return reply;
    }

    /// <summary>The session number in history replies: this kernel keeps only its own process's history.</summary>
    private const int HistorySession = 1;

    private JsonObject History(JsonObject c)
    {
        bool output = (bool?)c["output"] ?? false;
        string access = (string?)c["hist_access_type"] ?? "tail";
        int? n = (int?)c["n"];
        IEnumerable<(int Line, string Input, string? Output)> items = _history;
        switch (access)
        {
            case "range":
                int session = (int?)c["session"] ?? 0;
                int start = (int?)c["start"] ?? 0, stop = (int?)c["stop"] ?? int.MaxValue;
                items = session is 0 or HistorySession or < 0 ? _history.Where(h => h.Line >= start && h.Line < stop) : [];
                break;
            case "search":
                var pattern = (string?)c["pattern"] ?? "*";
                var rx = new Regex("^" + Regex.Escape(pattern).Replace(@"\*", ".*").Replace(@"\?", ".") + "$", RegexOptions.Singleline);
                items = _history.Where(h => rx.IsMatch(h.Input));
                if ((bool?)c["unique"] ?? false)
                    items = items.Reverse().DistinctBy(h => h.Input).Reverse();
                if (n is > 0) items = items.TakeLast(n.Value);
                break;
            default:
                items = _history.TakeLast(n ?? 10);
                break;
        }
        var list = new JsonArray();
        foreach (var (line, input, outp) in items)
            list.Add(new JsonArray(HistorySession, line, output ? new JsonArray(input, outp) : JsonValue.Create(input)));
        return new JsonObject { ["status"] = "ok", ["history"] = list };
    }

    /// <summary>A cell's outputs as IOPub messages, children of the execute_request.</summary>
    private sealed class IopubOutput(Kernel kernel, JupyterMessage parent, bool allowStdin) : ICellOutput, ICellInput
    {
        public string RequestInput(string prompt, bool password, CancellationToken ct) =>
            allowStdin ? kernel.RequestInput(parent, prompt, password, ct)
                : throw new InvalidOperationException("this client does not accept input (allow_stdin is false)");

        public void Stream(string name, string text) =>
            kernel.Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, parent);

        public void DisplayData(MimeBundle bundle, string? displayId) =>
            kernel.Publish("display_data", Display(bundle, displayId), parent);

        public void UpdateDisplayData(MimeBundle bundle, string displayId) =>
            kernel.Publish("update_display_data", Display(bundle, displayId), parent);

        public void ClearOutput(bool wait) =>
            kernel.Publish("clear_output", new JsonObject { ["wait"] = wait }, parent);

        private static JsonObject Display(MimeBundle bundle, string? displayId)
        {
            var o = new JsonObject { ["data"] = bundle.DataJson(), ["metadata"] = bundle.Metadata.DeepClone() };
            if (displayId != null) o["transient"] = new JsonObject { ["display_id"] = displayId };
            return o;
        }
    }
}

/// <summary>Cursor positions: Jupyter 5.2+ counts Unicode code points, .NET strings count UTF-16 units.</summary>
internal static class CodePoints
{
    public static int ToUtf16(string s, int codePoints)
    {
        int i = 0;
        for (int cp = 0; cp < codePoints && i < s.Length; cp++)
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        return i;
    }

    public static int FromUtf16(string s, int utf16)
    {
        int cp = 0;
        for (int i = 0; i < utf16 && i < s.Length; cp++)
            i += char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]) ? 2 : 1;
        return cp;
    }
}
