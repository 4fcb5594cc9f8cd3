using System.Collections.Concurrent;
using System.IO.Pipes;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using PcapLab.Notebook.Cells;

namespace PcapLab.Notebook.Jupyter;

/// <summary>The Jupyter kernel: binds the five sockets of a connection file and serves the messaging protocol 5.3.
/// Threads: heartbeat and control each own their socket; the shell thread owns the shell socket and hands requests
/// to one worker that runs them in order; IOPub is written by its own thread from a queue.</summary>
internal sealed partial class Kernel : IDisposable
{
    private const int PollMs = 250;

    private readonly ConnectionInfo _info;
    private readonly NotebookSession _session;
    private readonly MessageSigner _signer;
    private readonly ZmqContext _context = new();
    private readonly string _sessionId = Guid.NewGuid().ToString("N");
    private readonly BlockingCollection<(JupyterMessage Msg, bool Shell)> _iopubQueue = new();
    private readonly ConcurrentQueue<JupyterMessage> _shellOut = new();
    private readonly Channel<JupyterMessage> _requests = Channel.CreateUnbounded<JupyterMessage>(new() { SingleReader = true });
    private readonly AnonymousPipeServerStream _wakeWriter = new(PipeDirection.Out);
    private readonly AnonymousPipeClientStream _wakeReader;
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Thread> _threads = [];
    private readonly CountdownEvent _bound = new(4);
    private readonly ManualResetEventSlim _iopubDone = new();
    private int _wakePending;
    private long _lastHeartbeatTicks = Environment.TickCount64;
    private Exception? _bindError;
    private volatile CancellationTokenSource? _currentCell;
    private ZmqSocket? _stdin; // used only by the running cell, under _stdinGate
    private readonly object _stdinGate = new();

    public Kernel(ConnectionInfo info, NotebookSession session)
    {
        _info = info;
        _session = session;
        _signer = new MessageSigner(info.Key);
        _wakeReader = new AnonymousPipeClientStream(PipeDirection.In, _wakeWriter.ClientSafePipeHandle);
    }

    /// <summary>Per-cell output limit in characters (about 100 MB by default).</summary>
    public long OutputLimit { get; init; } = CellContext.DefaultOutputLimit;

    /// <summary>True when shutdown was requested with restart.</summary>
    public bool RestartRequested { get; private set; }

    private static void Log(string text) { lock (CellConsole.Log) CellConsole.Log.WriteLine("pcaplab kernel: " + text); }

    /// <summary>Serves until a shutdown request, the parent's death, or <paramref name="ct"/>.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        StartThread("pcaplab-iopub", IopubLoop);
        StartThread("pcaplab-heartbeat", () => RouterLoop(_info.HbPort, null, OnHeartbeat));
        StartThread("pcaplab-control", () => RouterLoop(_info.ControlPort, null, OnControl));
        StartThread("pcaplab-shell", () => RouterLoop(_info.ShellPort, _wakeReader, OnShell));
        using var stdin = _context.Socket(Interop.Zmq.Router);
        stdin.SetOption(Interop.Zmq.Linger, 0);
        try { stdin.Bind(_info.Endpoint(_info.StdinPort)); _stdin = stdin; }
        catch (ZmqException ex) { _bindError ??= ex; }
        _bound.Wait(TimeSpan.FromSeconds(10));
        if (_bindError != null) { Log("cannot bind: " + _bindError.Message); Stop(); Teardown(); return 1; }
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        _ = _session.WarmUpAsync();
        var worker = Task.Run(WorkerLoopAsync);
        var watch = Task.Run(() => WatchParentAsync(_stopping.Token));
        using (ct.Register(Stop))
            await _stopped.Task.ConfigureAwait(false);
        Teardown();
        lock (_stdinGate) _stdin = null;
        return 0;
    }

    /// <summary>Sends input_request on stdin to the client that sent <paramref name="request"/> and waits for its reply.</summary>
    internal string RequestInput(JupyterMessage request, string prompt, bool password, CancellationToken ct)
    {
        lock (_stdinGate)
        {
            var socket = _stdin ?? throw new InvalidOperationException("the kernel is shutting down");
            var frames = new List<byte[]>();
            while (socket.TryReceive(frames)) { } // a late reply to an earlier, interrupted request
            var ask = JupyterMessage.Create(_sessionId, "input_request", new JsonObject { ["prompt"] = prompt, ["password"] = password }, request, request.Identities);
            socket.Send(ask.Encode(_signer));
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                if (!socket.Poll(100).Socket) continue;
                while (socket.TryReceive(frames))
                {
                    var msg = Decode(frames, "stdin");
                    if (msg is { MsgType: "input_reply" }) return (string?)msg.Content["value"] ?? "";
                }
            }
        }
    }

    private void StartThread(string name, Action body)
    {
        var t = new Thread(() =>
        {
            try { body(); }
            catch (Exception ex) { Log($"{name} failed: {ex}"); Stop(); }
        }) { IsBackground = true, Name = name };
        _threads.Add(t);
        t.Start();
    }

    /// <summary>Cancels the running cell (interrupt_request or SIGINT); the cell ends with KeyboardInterrupt.</summary>
    public void Interrupt() => _currentCell?.Cancel();

    /// <summary>Stops every loop; the kernel process then exits.</summary>
    public void Stop()
    {
        if (!_stopping.IsCancellationRequested) _stopping.Cancel();
        _currentCell?.Cancel();
        _stopped.TrySetResult(true);
    }

    private void Teardown()
    {
        _iopubQueue.CompleteAdding();
        foreach (var t in _threads.Where(t => t.Name is "pcaplab-iopub" or "pcaplab-shell")) t.Join(TimeSpan.FromSeconds(3));
        _context.Shutdown(); // unblocks every socket still waiting
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(2));
    }

    // One loop shape for heartbeat, control and shell: poll (with an optional wake pipe), receive, dispatch.
    private void RouterLoop(int port, PipeStream? wake, Action<ZmqSocket, List<byte[]>?> onMessage)
    {
        using var socket = _context.Socket(Interop.Zmq.Router);
        socket.SetOption(Interop.Zmq.Linger, 1000);
        socket.SetOption(Interop.Zmq.RouterHandover, 1); // a reconnecting client with the same identity takes over
        try { socket.Bind(_info.Endpoint(port)); }
        catch (ZmqException ex) { _bindError ??= ex; _bound.Signal(); return; }
        _bound.Signal();
        int wakeFd = wake is null ? -1 : (int)_wakeWriter.ClientSafePipeHandle.DangerousGetHandle();
        var frames = new List<byte[]>();
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var (readable, woken) = socket.Poll(PollMs, wakeFd);
                if (woken)
                {
                    wake!.ReadByte();
                    Volatile.Write(ref _wakePending, 0);
                }
                if (wake != null) onMessage(socket, null); // drains replies queued by the worker
                while (readable && socket.TryReceive(frames)) onMessage(socket, frames);
            }
            if (wake != null && _iopubDone.Wait(TimeSpan.FromSeconds(3))) onMessage(socket, null); // last replies (shutdown_reply)
        }
        catch (ZmqException ex) when (ex.IsTerminated) { }
    }

    private void OnHeartbeat(ZmqSocket socket, List<byte[]>? frames)
    {
        if (frames is null) return;
        Volatile.Write(ref _lastHeartbeatTicks, Environment.TickCount64);
        socket.Send(frames.Select(f => (ReadOnlyMemory<byte>)f).ToList());
    }

    private JupyterMessage? Decode(List<byte[]> frames, string channel)
    {
        var msg = JupyterMessage.Decode(frames, _signer, out var error);
        if (msg is null) Log($"dropped a message on {channel}: {error}");
        return msg;
    }

    private void OnControl(ZmqSocket socket, List<byte[]>? frames)
    {
        if (frames is null || Decode(frames, "control") is not { } msg) return;
        Busy(msg);
        try { HandleImmediate(msg, (type, content) => socket.Send(Reply(msg, type, content).Encode(_signer))); }
        finally { Idle(msg); }
    }

    private void OnShell(ZmqSocket socket, List<byte[]>? frames)
    {
        if (frames is null)
        {
            while (_shellOut.TryDequeue(out var reply)) socket.Send(reply.Encode(_signer));
            return;
        }
        if (Decode(frames, "shell") is not { } msg) return;
        if (msg.MsgType == "interrupt_request")
        {
            Busy(msg);
            HandleImmediate(msg, (type, content) => socket.Send(Reply(msg, type, content).Encode(_signer)));
            Idle(msg);
        }
        else _requests.Writer.TryWrite(msg);
    }

    // Requests answered at once on the thread that received them: interrupt, shutdown, and kernel_info on control.
    private void HandleImmediate(JupyterMessage msg, Action<string, JsonObject> reply)
    {
        switch (msg.MsgType)
        {
            case "interrupt_request":
                Interrupt();
                reply("interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                bool restart = (bool?)msg.Content["restart"] ?? false;
                RestartRequested = restart;
                reply("shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
                Stop();
                break;
            case "kernel_info_request":
                reply("kernel_info_reply", KernelInfo());
                break;
            default:
                Log($"ignored {msg.MsgType} on control");
                break;
        }
    }

    private JupyterMessage Reply(JupyterMessage request, string type, JsonObject content) =>
        JupyterMessage.Create(_sessionId, type, content, request, request.Identities);

    // Shell replies pass through the IOPub queue so every output of a request is on the wire before its reply:
    // clients that read the reply first then find the outputs and the idle status right behind it.
    private void SendShell(JupyterMessage request, string type, JsonObject content)
    {
        try { _iopubQueue.Add((Reply(request, type, content), true)); }
        catch (InvalidOperationException) { /* shutting down */ }
    }

    private void HandToShellThread(JupyterMessage reply)
    {
        _shellOut.Enqueue(reply);
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            _wakeWriter.WriteByte(1);
            _wakeWriter.Flush();
        }
    }

    /// <summary>Queues an IOPub message; the IOPub thread signs and sends it.</summary>
    internal void Publish(string type, JsonObject content, JupyterMessage? parent)
    {
        var msg = JupyterMessage.Create(_sessionId, type, content, parent, [System.Text.Encoding.ASCII.GetBytes("kernel." + _sessionId + "." + type)]);
        try { _iopubQueue.Add((msg, false)); } catch (InvalidOperationException) { /* shutting down */ }
    }

    private void Busy(JupyterMessage parent) => Publish("status", new JsonObject { ["execution_state"] = "busy" }, parent);
    private void Idle(JupyterMessage parent) => Publish("status", new JsonObject { ["execution_state"] = "idle" }, parent);

    private void IopubLoop()
    {
        using var socket = _context.Socket(Interop.Zmq.Pub);
        socket.SetOption(Interop.Zmq.Linger, 1000);
        socket.SetOption(Interop.Zmq.SndHwm, 0); // never drop status messages; output per cell is bounded instead
        try { socket.Bind(_info.Endpoint(_info.IopubPort)); }
        catch (ZmqException ex) { _bindError ??= ex; _bound.Signal(); return; }
        _bound.Signal();
        try
        {
            foreach (var (msg, shell) in _iopubQueue.GetConsumingEnumerable())
                if (shell) HandToShellThread(msg);
                else socket.Send(msg.Encode(_signer));
        }
        catch (ZmqException ex) when (ex.IsTerminated) { }
        finally { _iopubDone.Set(); }
    }

    // The kernel exits when its parent dies: at once when Jupyter named it (JPY_PARENT_PID), otherwise when the
    // original parent is gone and no heartbeat came for a minute (a launcher that exits early is not a dead client).
    private async Task WatchParentAsync(CancellationToken ct)
    {
        int jpyParent = int.TryParse(Environment.GetEnvironmentVariable("JPY_PARENT_PID"), out var p) && p > 1 ? p : 0;
        int startParent = ParentPid();
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(1000, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            if (jpyParent > 0 && !Directory.Exists("/proc/" + jpyParent))
            {
                Log($"parent process {jpyParent} is gone; exiting");
                Stop();
                return;
            }
            bool reparented = startParent > 1 && ParentPid() != startParent;
            if (jpyParent == 0 && reparented && Environment.TickCount64 - Volatile.Read(ref _lastHeartbeatTicks) > 60_000)
            {
                Log("parent process is gone and no heartbeat for 60 s; exiting");
                Stop();
                return;
            }
        }
    }

    private static int ParentPid()
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (Exception) { return 0; }
    }

    public void Dispose()
    {
        // zmq_ctx_term waits for every socket to close; a thread that is somehow still in a zmq call would hang exit
        if (_threads.All(t => !t.IsAlive)) _context.Dispose();
        else Log("a socket thread did not stop; leaving the zmq context to process exit");
        _wakeReader.Dispose();
        _wakeWriter.Dispose();
        _stopping.Dispose();
    }
}
