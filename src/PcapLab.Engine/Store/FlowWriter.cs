using PcapLab.Dissect;
using PcapLab.Flows;
using PcapLab.Store.DuckDb;

namespace PcapLab.Store;

/// <summary>Appends ended flows to the <c>flows</c> table; flows arrive in batches from the packet thread.</summary>
internal sealed class FlowWriter : IDisposable
{
    private readonly DuckDbAppender _a;

    public FlowWriter(DuckDbConnection connection) => _a = connection.CreateAppender("flows");

    public int VectorSize => _a.VectorSize;

    public void Write(FlowBatch batch)
    {
        var a = _a;
        int n = batch.Count;
        Span<byte> text = stackalloc byte[64];
        for (int i = 0; i < n; i++)
        {
            ref readonly var f = ref batch.Rows[i];
            int c = 0;
            a.Column<long>(c++)[i] = f.FlowId + batch.FlowIdBase;
            a.Column<int>(c++)[i] = batch.CaptureId;
            a.Column<long>(c++)[i] = f.Ts;
            a.Column<long>(c++)[i] = f.LastTs;
            Nullable(c++, i, f.Duration);
            a.SetString(c++, i, f.Proto);
            a.Column<byte>(c++)[i] = f.IpProto;
            Text(c++, i, f.Service);
            a.SetString(c++, i, text[..f.OrigH.FormatUtf8(text)]);
            a.Column<ushort>(c++)[i] = f.OrigP;
            a.SetString(c++, i, text[..f.RespH.FormatUtf8(text)]);
            a.Column<ushort>(c++)[i] = f.RespP;
            a.Column<long>(c++)[i] = f.OrigPkts;
            Nullable(c++, i, f.OrigBytes);
            a.Column<long>(c++)[i] = f.OrigIpBytes;
            a.Column<long>(c++)[i] = f.RespPkts;
            Nullable(c++, i, f.RespBytes);
            a.Column<long>(c++)[i] = f.RespIpBytes;
            a.Column<long>(c++)[i] = f.MissedBytes;
            a.SetString(c++, i, f.ConnState);
            Text(c++, i, f.History);
            if (f.Vlan is short v) a.Column<short>(c)[i] = v; else a.SetNull(c, i);
            c++;
            if (f.InnerVlan is short iv) a.Column<short>(c)[i] = iv; else a.SetNull(c, i);
            c++;
            if (f.Tunnel != TunnelKind.None)
            {
                a.SetString(c++, i, TunnelNames.Utf8(f.Tunnel));
                a.Column<uint>(c++)[i] = f.TunnelId;
            }
            else { a.SetNull(c++, i); a.SetNull(c++, i); }
            a.SetString(c++, i, f.CommunityId);
            a.Column<double>(c++)[i] = f.FwdPktLenMin;
            a.Column<double>(c++)[i] = f.FwdPktLenMax;
            a.Column<double>(c++)[i] = f.FwdPktLenMean;
            a.Column<double>(c++)[i] = f.FwdPktLenStd;
            a.Column<double>(c++)[i] = f.BwdPktLenMin;
            a.Column<double>(c++)[i] = f.BwdPktLenMax;
            a.Column<double>(c++)[i] = f.BwdPktLenMean;
            a.Column<double>(c++)[i] = f.BwdPktLenStd;
            a.Column<double>(c++)[i] = f.FlowIatMin;
            a.Column<double>(c++)[i] = f.FlowIatMax;
            a.Column<double>(c++)[i] = f.FlowIatMean;
            a.Column<double>(c++)[i] = f.FlowIatStd;
            a.Column<double>(c++)[i] = f.FwdIatMin;
            a.Column<double>(c++)[i] = f.FwdIatMax;
            a.Column<double>(c++)[i] = f.FwdIatMean;
            a.Column<double>(c++)[i] = f.FwdIatStd;
            a.Column<double>(c++)[i] = f.BwdIatMin;
            a.Column<double>(c++)[i] = f.BwdIatMax;
            a.Column<double>(c++)[i] = f.BwdIatMean;
            a.Column<double>(c++)[i] = f.BwdIatStd;
            a.Column<int>(c++)[i] = f.FinFlagCnt;
            a.Column<int>(c++)[i] = f.SynFlagCnt;
            a.Column<int>(c++)[i] = f.RstFlagCnt;
            a.Column<int>(c++)[i] = f.PshFlagCnt;
            a.Column<int>(c++)[i] = f.AckFlagCnt;
            a.Column<int>(c++)[i] = f.UrgFlagCnt;
            a.Column<int>(c++)[i] = f.EceFlagCnt;
            a.Column<int>(c++)[i] = f.CwrFlagCnt;
            a.Column<int>(c++)[i] = f.InitFwdWinBytes;
            a.Column<int>(c++)[i] = f.InitBwdWinBytes;
            a.Column<double>(c++)[i] = f.ActiveMin;
            a.Column<double>(c++)[i] = f.ActiveMax;
            a.Column<double>(c++)[i] = f.ActiveMean;
            a.Column<double>(c++)[i] = f.ActiveStd;
            a.Column<double>(c++)[i] = f.IdleMin;
            a.Column<double>(c++)[i] = f.IdleMax;
            a.Column<double>(c++)[i] = f.IdleMean;
            a.Column<double>(c++)[i] = f.IdleStd;
            a.Column<double>(c++)[i] = f.FlowBytesPerS;
            a.Column<double>(c++)[i] = f.FlowPktsPerS;
            a.Column<double>(c++)[i] = f.DownUpRatio;
            a.SetList<int>(c++, i, f.SpltLen);
            a.SetList<float>(c++, i, f.SpltIatMs);
        }
        a.AppendChunk(n);
        if (++_chunks % 16 == 0) a.Flush(); // flows are wide rows: commit more often, for the same reason as packets
    }

    private int _chunks;

    private void Nullable(int col, int row, double? value)
    {
        if (value is double d) _a.Column<double>(col)[row] = d; else _a.SetNull(col, row);
    }

    private void Nullable(int col, int row, long? value)
    {
        if (value is long l) _a.Column<long>(col)[row] = l; else _a.SetNull(col, row);
    }

    private void Text(int col, int row, string? value)
    {
        if (value is null) _a.SetNull(col, row); else _a.SetString(col, row, value);
    }

    public void Dispose() => _a.Dispose();
}

/// <summary>Ended flows waiting to be appended; recycled like packet batches.</summary>
internal sealed class FlowBatch(int capacity)
{
    public readonly FlowRecord[] Rows = new FlowRecord[capacity];
    public int Count;
    public int CaptureId;
    /// <summary>Added to the flow table's ids so that flow ids are unique across the whole database.</summary>
    public long FlowIdBase;
    public bool IsFull => Count == Rows.Length;

    public void Add(in FlowRecord f) => Rows[Count++] = f;
}
