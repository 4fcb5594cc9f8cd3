using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PcapLab.Engine.Tests.Live;

/// <summary>Known traffic on 127.0.0.1 only, bounded in count, with our own listeners on random ports.</summary>
internal static class Loopback
{
    /// <summary>Live capture needs root (or CAP_NET_RAW); CI runs as root. Not root is a failure with the reason, never a silent skip.</summary>
    public static void RequireRoot()
    {
        if (!Environment.IsPrivilegedProcess)
            Assert.Fail("live capture tests need root or CAP_NET_RAW+CAP_NET_ADMIN (CI runs them as root); run the tests with sudo");
    }

    /// <summary>A UDP socket bound to a free port on 127.0.0.1 that counts what it receives (so no ICMP unreachable is sent).</summary>
    public sealed class UdpSink : IDisposable
    {
        private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        private readonly Thread _thread;
        private int _received;

        public UdpSink(bool drain = true)
        {
            _socket.ReceiveBufferSize = 4 << 20;
            _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
            _thread = new Thread(() =>
            {
                var buf = new byte[65536];
                try { while (drain) { _socket.Receive(buf); Interlocked.Increment(ref _received); } }
                catch (SocketException) { } catch (ObjectDisposedException) { }
            }) { IsBackground = true };
            _thread.Start();
        }

        public int Port { get; }
        public int Received => Volatile.Read(ref _received);
        public IPEndPoint EndPoint => new(IPAddress.Loopback, Port);

        /// <summary>Waits (bounded) until <paramref name="count"/> datagrams arrived.</summary>
        public bool WaitFor(int count, TimeSpan timeout)
        {
            var sw = Stopwatch.StartNew();
            while (Received < count && sw.Elapsed < timeout) Thread.Sleep(10);
            return Received >= count;
        }

        public void Dispose() { _socket.Dispose(); }
    }

    /// <summary>Distinct payloads of varying length, so a reordering or a cut would show.</summary>
    public static byte[][] UdpPayloads(int count, string tag) =>
        Enumerable.Range(0, count).Select(i => Encoding.ASCII.GetBytes($"pcaplab-{tag}-{i:D6}-" + new string((char)('a' + i % 26), i % 97))).ToArray();

    /// <summary>Sends each payload as one datagram; <paramref name="pace"/> pauses every 50 so a busy receiver's socket buffer never overflows.</summary>
    public static void SendUdp(IPEndPoint to, IEnumerable<byte[]> payloads, bool pace = false)
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        int n = 0;
        foreach (var p in payloads)
        {
            s.SendTo(p, to);
            if (pace && ++n % 50 == 0) Thread.Sleep(5);
        }
    }

    /// <summary>A TCP listener of ours on a free port; <see cref="Exchange"/> connects, sends each message as one write, closes.</summary>
    public sealed class TcpPeer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public TcpPeer() { _listener.Start(); Port = ((IPEndPoint)_listener.LocalEndpoint).Port; }

        public int Port { get; }

        /// <summary>Returns every byte the client sent, in order.</summary>
        public byte[] Exchange(IEnumerable<byte[]> messages)
        {
            var sent = new MemoryStream();
            var accept = _listener.AcceptTcpClientAsync();
            using var client = new TcpClient(AddressFamily.InterNetwork) { NoDelay = true };
            client.Connect(IPAddress.Loopback, Port);
            using var server = accept.Result;
            var stream = client.GetStream();
            var serverStream = server.GetStream();
            var buf = new byte[65536];
            foreach (var m in messages)
            {
                stream.Write(m);
                sent.Write(m);
                // Read it on the server side so each write is its own exchange.
                int got = 0;
                while (got < m.Length) got += serverStream.Read(buf, 0, buf.Length);
            }
            client.Client.Shutdown(SocketShutdown.Send);
            while (serverStream.Read(buf, 0, buf.Length) > 0) { }
            server.Client.Shutdown(SocketShutdown.Send);
            return sent.ToArray();
        }

        public void Dispose() => _listener.Stop();
    }
}
