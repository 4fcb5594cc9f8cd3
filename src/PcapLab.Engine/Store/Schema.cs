namespace PcapLab.Store;

/// <summary>
/// The DuckDB tables PcapLab writes. Their names and columns are API: notebooks and users write SQL against them,
/// so columns are only ever added, never renamed. Every row traces back to a capture (<c>capture_id</c> → <c>captures.sha256</c>)
/// and, where it comes from one packet, to its <c>frame_no</c>.
/// </summary>
public static class Schema
{
    /// <summary>One row per input file.</summary>
    public const string Captures = """
        CREATE TABLE IF NOT EXISTS captures (
            capture_id   INTEGER PRIMARY KEY,
            path         VARCHAR NOT NULL,
            sha256       VARCHAR,
            format       VARCHAR,
            compressed   BOOLEAN,
            link_types   VARCHAR[],
            packets      BIGINT,
            bytes        BIGINT,
            file_bytes   BIGINT,
            first_ts     TIMESTAMP_NS,
            last_ts      TIMESTAMP_NS,
            status       VARCHAR NOT NULL,   -- ok / truncated / error (reading while in progress)
            error        VARCHAR,            -- names the file and byte offset
            error_offset BIGINT,
            warnings     VARCHAR[],
            loaded_at    TIMESTAMP,
            pcaplab_version VARCHAR
        );
        """;

    /// <summary>One row per frame, in capture order; <c>frame_no</c> is 1-based as tshark's <c>frame.number</c>.</summary>
    public const string Packets = """
        CREATE TABLE IF NOT EXISTS packets (
            capture_id     INTEGER NOT NULL,
            frame_no       BIGINT NOT NULL,
            ts             TIMESTAMP_NS NOT NULL,
            caplen         INTEGER NOT NULL,
            len            INTEGER NOT NULL,
            interface_id   INTEGER NOT NULL,
            link_type      USMALLINT NOT NULL,
            eth_src        VARCHAR,
            eth_dst        VARCHAR,
            vlan           SMALLINT,
            ip_version     UTINYINT,
            src_ip         VARCHAR,
            dst_ip         VARCHAR,
            ip_proto       UTINYINT,
            ttl            UTINYINT,
            ip_frag_offset USMALLINT,        -- NULL unless the packet is an IP fragment
            ip_more_frags  BOOLEAN,
            src_port       USMALLINT,
            dst_port       USMALLINT,
            tcp_flags      UTINYINT,         -- FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32, ECE 64, CWR 128
            tcp_seq        UINTEGER,
            tcp_ack        UINTEGER,
            tcp_win        USMALLINT,
            payload_len    INTEGER,
            icmp_type      UTINYINT,
            icmp_code      UTINYINT,
            tunnel         VARCHAR,          -- outermost tunnel decapsulated; addresses above are the inner ones
            outer_src_ip   VARCHAR,
            outer_dst_ip   VARCHAR,
            flow_id        BIGINT,
            weird          VARCHAR,          -- first malformation seen in this frame
            file_offset    BIGINT NOT NULL   -- byte offset of the record in the (uncompressed) capture, for carving
        );
        """;

    /// <summary>Malformed or unexpected input that was recorded instead of being fatal (Zeek's weird.log).</summary>
    public const string Weirds = """
        CREATE TABLE IF NOT EXISTS weirds (
            capture_id INTEGER NOT NULL,
            name       VARCHAR NOT NULL,
            count      BIGINT NOT NULL,
            first_frame BIGINT,
            flow_id    BIGINT,
            detail     VARCHAR
        );
        """;

    /// <summary>All table definitions in creation order.</summary>
    public static IReadOnlyList<string> All { get; } = [Captures, Packets, Weirds];
}
