namespace PcapLab.Detect.Rules;

/// <summary>
/// DNS tunnelling (iodine, dnscat2, dns2tcp, exfiltration by lookups): one source querying many distinct subdomains
/// of one registered domain, with encoded-looking names (high character entropy or long labels) or many TXT/NULL
/// queries. Why: a resolver's normal traffic repeats a few names per domain; a tunnel must use a new name per chunk of
/// data and packs it densely. The registered domain is the last two labels, three under a two-letter country code
/// with a generic second level (co.uk, com.au). Entropy is Shannon's, in bits per character of the subdomain part
/// (dots removed). Indicators: many subdomains (required), high entropy, long labels, TXT/NULL volume; score = number
/// met / 4. Severity MALICIOUS when the names look encoded (entropy or length), SUSPICIOUS on TXT/NULL volume alone.
/// </summary>
public sealed record DnsTunnelRule : DetectionRule
{
    /// <summary>Distinct subdomains under one domain from one source to alert (required). Default 30.</summary>
    public int MinSubdomains { get; init; }

    /// <summary>Mean Shannon entropy (bits/char) of the subdomain part counting as encoded. Default 3.5 (words are about 2–3; base32 about 4.5).</summary>
    public double MinEntropy { get; init; }

    /// <summary>Mean length of the longest subdomain label counting as encoded. Default 30 (a label holds at most 63).</summary>
    public double MinLabelLength { get; init; }

    /// <summary>TXT and NULL queries under the domain counting as a channel. Default 20.</summary>
    public int MinTxtNullQueries { get; init; }

    /// <inheritdoc/>
    public override IReadOnlyList<string> AlertRules => ["dns_tunnel"];

    internal override void Detect(AlertSink sink) => sink.InsertSelect("dns_tunnel", """
        WITH q AS (
            SELECT row_number() OVER () AS rid, d.flow_id, d.ts, c.orig_h, c.resp_h,
                   string_split(lower(trim(d.query, '.')), '.') AS labels,
                   coalesce(d.qtype_name IN ('TXT', 'NULL') OR d.qtype IN (16, 10), false) AS txt_null
            FROM dns d JOIN flows c ON c.flow_id = d.flow_id AND c.capture_id = d.capture_id
            WHERE d.query IS NOT NULL AND d.query <> ''),
        k AS (
            SELECT *, CASE WHEN len(labels) >= 4 AND length(labels[-1]) = 2
                           AND labels[-2] IN ('co', 'com', 'net', 'org', 'gov', 'ac', 'edu') THEN 3 ELSE 2 END AS keep
            FROM q),
        s AS (
            SELECT *, array_to_string(labels[len(labels) - keep + 1:], '.') AS domain,
                   array_to_string(labels[1:len(labels) - keep], '.') AS sub,
                   list_max(list_transform(labels[1:len(labels) - keep], lambda l: length(l))) AS longest
            FROM k WHERE len(labels) > keep),
        chars AS (SELECT rid, unnest(string_split(replace(sub, '.', ''), '')) AS ch FROM s),
        counts AS (SELECT rid, ch, count(*) AS n FROM chars WHERE ch <> '' GROUP BY rid, ch),
        ent AS (
            SELECT rid, -sum(p * log2(p)) AS entropy
            FROM (SELECT rid, n / sum(n) OVER (PARTITION BY rid) AS p FROM counts) GROUP BY rid),
        g AS (
            SELECT orig_h, domain, min(ts) AS ts, max(ts) AS last_ts, count(*) AS queries, count(DISTINCT sub) AS subs,
                   avg(coalesce(entropy, 0)) AS entropy, avg(longest) AS longest, max(longest) AS max_label,
                   count(*) FILTER (WHERE txt_null) AS txt_null, count(DISTINCT resp_h) AS resolvers,
                   arg_max(sub, length(sub)) AS example,
                   list_slice(list_sort(list(DISTINCT flow_id)), 1, $2) AS flow_ids
            FROM s LEFT JOIN ent USING (rid) GROUP BY orig_h, domain),
        i AS (
            SELECT *, entropy >= $4 OR longest >= $5 AS encoded,
                   (entropy >= $4)::INTEGER + (longest >= $5)::INTEGER + (txt_null >= $6)::INTEGER AS indicators
            FROM g WHERE subs >= $3)
        SELECT ts, last_ts, CASE WHEN encoded THEN 'MALICIOUS' ELSE 'SUSPICIOUS' END AS severity, $1 AS rule, orig_h AS src, domain AS dst,
               format('{} queried {} distinct subdomains of {} ({} queries, {} TXT/NULL) via {} resolver(s); entropy {:.2f} bits/char, longest label {:.0f} on average (max {}); e.g. {}.{}',
                      orig_h, subs, domain, queries, txt_null, resolvers, entropy, longest, max_label, left(example, 80), domain) AS summary,
               flow_ids, (1 + indicators) / 4.0 AS score
        FROM i WHERE indicators >= 1
        """, MinSubdomains, MinEntropy, MinLabelLength, MinTxtNullQueries);
}
