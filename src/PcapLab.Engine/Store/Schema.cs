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
            ip_id          UINTEGER,         -- IPv4 identification (IPv6: the fragment header's)
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

    /// <summary>
    /// One row per connection, with Zeek's conn.log names and semantics, the Community ID, and the per-flow
    /// statistics that flow-based models use (CICFlowMeter's names in lower_snake; fwd = originator, bwd = responder).
    /// </summary>
    public const string Flows = """
        CREATE TABLE IF NOT EXISTS flows (
            flow_id        BIGINT NOT NULL,
            capture_id     INTEGER NOT NULL,
            ts             TIMESTAMP_NS NOT NULL,  -- first packet
            last_ts        TIMESTAMP_NS NOT NULL,
            duration       DOUBLE,                 -- seconds; NULL when 0, as Zeek
            proto          VARCHAR NOT NULL,       -- tcp / udp / icmp / unknown_transport
            ip_proto       UTINYINT NOT NULL,
            service        VARCHAR,                -- from payload: dns, http, ssl, ssh, smtp, ftp, quic, dhcp, ntp (comma-joined)
            orig_h         VARCHAR NOT NULL,
            orig_p         USMALLINT NOT NULL,     -- ICMP: type
            resp_h         VARCHAR NOT NULL,
            resp_p         USMALLINT NOT NULL,     -- ICMP: code
            orig_pkts      BIGINT NOT NULL,
            orig_bytes     BIGINT,                 -- payload bytes (TCP: from sequence numbers)
            orig_ip_bytes  BIGINT NOT NULL,
            resp_pkts      BIGINT NOT NULL,
            resp_bytes     BIGINT,
            resp_ip_bytes  BIGINT NOT NULL,
            missed_bytes   BIGINT NOT NULL,
            conn_state     VARCHAR NOT NULL,       -- S0 S1 SF REJ S2 S3 RSTO RSTR RSTOS0 RSTRH SH SHR OTH
            history        VARCHAR,
            vlan           SMALLINT,
            inner_vlan     SMALLINT,
            tunnel         VARCHAR,
            tunnel_id      UINTEGER,
            community_id   VARCHAR NOT NULL,
            fwd_pkt_len_min DOUBLE,
            fwd_pkt_len_max DOUBLE,
            fwd_pkt_len_mean DOUBLE,
            fwd_pkt_len_std DOUBLE,
            bwd_pkt_len_min DOUBLE,
            bwd_pkt_len_max DOUBLE,
            bwd_pkt_len_mean DOUBLE,
            bwd_pkt_len_std DOUBLE,
            flow_iat_min   DOUBLE,
            flow_iat_max   DOUBLE,
            flow_iat_mean  DOUBLE,
            flow_iat_std   DOUBLE,
            fwd_iat_min    DOUBLE,
            fwd_iat_max    DOUBLE,
            fwd_iat_mean   DOUBLE,
            fwd_iat_std    DOUBLE,
            bwd_iat_min    DOUBLE,
            bwd_iat_max    DOUBLE,
            bwd_iat_mean   DOUBLE,
            bwd_iat_std    DOUBLE,
            fin_flag_cnt   INTEGER,
            syn_flag_cnt   INTEGER,
            rst_flag_cnt   INTEGER,
            psh_flag_cnt   INTEGER,
            ack_flag_cnt   INTEGER,
            urg_flag_cnt   INTEGER,
            ece_flag_cnt   INTEGER,
            cwr_flag_cnt   INTEGER,
            init_fwd_win_bytes INTEGER,
            init_bwd_win_bytes INTEGER,
            active_min     DOUBLE,
            active_max     DOUBLE,
            active_mean    DOUBLE,
            active_std     DOUBLE,
            idle_min       DOUBLE,
            idle_max       DOUBLE,
            idle_mean      DOUBLE,
            idle_std       DOUBLE,
            flow_bytes_per_s DOUBLE,
            flow_pkts_per_s DOUBLE,
            down_up_ratio  DOUBLE,
            splt_len       INTEGER[],              -- first packets' payload sizes: + from originator, - from responder
            splt_iat_ms    FLOAT[]
        );
        """;

    /// <summary>DNS queries and their answers (Zeek's dns.log), over UDP and TCP; one row per query.</summary>
    public const string Dns = """
        CREATE TABLE IF NOT EXISTS dns (
            capture_id  INTEGER NOT NULL,
            flow_id     BIGINT,
            frame_no    BIGINT,
            ts          TIMESTAMP_NS NOT NULL,
            proto       VARCHAR,        -- udp or tcp
            trans_id    USMALLINT,
            rtt         DOUBLE,         -- seconds from query to response
            query       VARCHAR,
            qclass      USMALLINT,
            qclass_name VARCHAR,
            qtype       USMALLINT,
            qtype_name  VARCHAR,
            rcode       USMALLINT,
            rcode_name  VARCHAR,
            AA          BOOLEAN,
            TC          BOOLEAN,
            RD          BOOLEAN,
            RA          BOOLEAN,
            Z           UTINYINT,
            answers     VARCHAR[],
            TTLs        DOUBLE[],
            rejected    BOOLEAN,
            is_response BOOLEAN       -- true when a response was seen (false: the query went unanswered)
        );
        """;

    /// <summary>HTTP/1.x requests and their responses (Zeek's http.log), pipelining included; one row per request.</summary>
    public const string Http = """
        CREATE TABLE IF NOT EXISTS http (
            capture_id        INTEGER NOT NULL,
            flow_id           BIGINT,
            frame_no          BIGINT,
            ts                TIMESTAMP_NS NOT NULL,
            trans_depth       INTEGER,
            method            VARCHAR,
            host              VARCHAR,
            uri               VARCHAR,
            version           VARCHAR,
            user_agent        VARCHAR,
            referrer          VARCHAR,
            origin            VARCHAR,
            status_code       INTEGER,
            status_msg        VARCHAR,
            request_body_len  BIGINT,
            response_body_len BIGINT,
            orig_mime_types   VARCHAR,
            resp_mime_types   VARCHAR,
            request_header_count  INTEGER,
            response_header_count INTEGER,
            request_body      VARCHAR   -- first bytes of the request body (as text), for web-attack rules
        );
        """;

    /// <summary>TLS handshakes (Zeek's ssl.log) with JA3/JA3S/JA4 fingerprints.</summary>
    public const string Tls = """
        CREATE TABLE IF NOT EXISTS tls (
            capture_id     INTEGER NOT NULL,
            flow_id        BIGINT,
            frame_no       BIGINT,
            ts             TIMESTAMP_NS NOT NULL,
            version        VARCHAR,     -- negotiated (ServerHello, supported_versions when present)
            cipher         VARCHAR,
            curve          VARCHAR,
            server_name    VARCHAR,     -- SNI
            client_alpn    VARCHAR[],   -- ALPN protocols the client offered
            next_protocol  VARCHAR,     -- the ALPN protocol the server chose
            client_version VARCHAR,
            ja3            VARCHAR,
            ja3s           VARCHAR,
            ja4            VARCHAR,
            ja4s           VARCHAR,
            established    BOOLEAN
        );
        """;

    /// <summary>SSH banners (Zeek's ssh.log, without the encrypted parts).</summary>
    public const string Ssh = """
        CREATE TABLE IF NOT EXISTS ssh (
            capture_id INTEGER NOT NULL,
            flow_id    BIGINT,
            frame_no   BIGINT,
            ts         TIMESTAMP_NS NOT NULL,
            version    INTEGER,
            client     VARCHAR,
            server     VARCHAR
        );
        """;

    /// <summary>What detection rules and models raised. Severity is BENIGN, SUSPICIOUS or MALICIOUS.</summary>
    public const string Alerts = """
        CREATE TABLE IF NOT EXISTS alerts (
            alert_id  BIGINT,
            ts        TIMESTAMP_NS,
            last_ts   TIMESTAMP_NS,
            severity  VARCHAR NOT NULL,
            rule      VARCHAR NOT NULL,
            src       VARCHAR,
            dst       VARCHAR,
            summary   VARCHAR,
            flow_ids  BIGINT[],        -- evidence
            score     DOUBLE
        );
        """;

    /// <summary>Per-flow model output, one row per flow and model.</summary>
    public const string Predictions = """
        CREATE TABLE IF NOT EXISTS predictions (
            flow_id     BIGINT NOT NULL,
            label       VARCHAR NOT NULL,
            probability DOUBLE,
            model       VARCHAR NOT NULL,   -- model file name and its feature hash
            scored_at   TIMESTAMP
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
    public static IReadOnlyList<string> All { get; } = [Captures, Packets, Flows, Dns, Http, Tls, Ssh, Weirds, Alerts, Predictions];
}
