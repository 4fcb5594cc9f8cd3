namespace PcapLab.Read;

internal ref partial struct PcapReader
{
    /// <summary>
    /// Old libpcap patches wrote longer record headers under the usual magics: RedHat 6.1 used 24 bytes and Nokia 20
    /// under a1b2c3d4, SuSE 6.3 used 28 under a1b2cd34. The header cannot tell, so, as Wireshark does, keep the first
    /// layout under which the first records chain up plausibly. Call once, right after the file header.
    /// </summary>
    internal void ChooseRecordHeaderLength(CaptureFormat format)
    {
        ReadOnlySpan<int> candidates = format switch
        {
            CaptureFormat.Pcap => [16, 24, 20],
            CaptureFormat.PcapModified => [24, 28],
            _ => [],
        };
        foreach (int length in candidates)
        {
            if (RecordsChain(length))
            {
                _state.RecordHeaderLength = length;
                return;
            }
        }
    }

    /// <summary>True when up to four records read with this header length have sane fields and follow one another.</summary>
    private readonly bool RecordsChain(int headerLength)
    {
        ReadOnlySpan<byte> buf = _buffer[_consumed..];
        long fractionLimit = 1_000_000_000 / _state.NsPerFraction;
        int pos = 0;
        for (int i = 0; i < 4 && buf.Length - pos >= headerLength; i++)
        {
            ReadOnlySpan<byte> header = buf[pos..];
            uint fraction = ReadUInt32(header[4..]);
            uint captured = ReadUInt32(header[8..]);
            uint original = ReadUInt32(header[12..]);
            if (_state.Lengths != LengthOrder.Normal && (_state.Lengths == LengthOrder.Swapped || captured > original))
                (captured, original) = (original, captured);
            if (fraction >= fractionLimit || captured > ReadProblemText.MaxPacketLength || captured > original) return false;
            pos += headerLength + (int)captured;
        }
        return true;
    }
}
