using System.Text;
using PcapLab.Notebook.Jupyter;

namespace PcapLab.Notebook.Tests.Jupyter;

public class MessageSignerTests
{
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"; the four parts are signed as one concatenation.
    private const string Rfc4231Case2 = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";

    private static readonly byte[][] Parts = [.. new[] { "what do ", "ya want ", "for ", "nothing?" }.Select(Encoding.ASCII.GetBytes)];

    [Fact]
    public void SignsLikeRfc4231() =>
        Assert.Equal(Rfc4231Case2, new MessageSigner("Jefe").Sign(Parts[0], Parts[1], Parts[2], Parts[3]));

    [Fact]
    public void VerifiesOnlyTheRightSignature()
    {
        var s = new MessageSigner("Jefe");
        Assert.True(s.Verify(Encoding.ASCII.GetBytes(Rfc4231Case2), Parts[0], Parts[1], Parts[2], Parts[3]));
        Assert.True(s.Verify(Encoding.ASCII.GetBytes(Rfc4231Case2.ToUpperInvariant()), Parts[0], Parts[1], Parts[2], Parts[3]));
        var wrong = Rfc4231Case2[..^1] + "4";
        Assert.False(s.Verify(Encoding.ASCII.GetBytes(wrong), Parts[0], Parts[1], Parts[2], Parts[3]));
        Assert.False(s.Verify([], Parts[0], Parts[1], Parts[2], Parts[3]));
        Assert.False(s.Verify(Encoding.ASCII.GetBytes(new string('z', 64)), Parts[0], Parts[1], Parts[2], Parts[3]));
        Assert.False(s.Verify(Encoding.ASCII.GetBytes(Rfc4231Case2), Parts[1], Parts[0], Parts[2], Parts[3]));
    }

    [Fact]
    public void DecodeDropsForgedAndMalformedMessages()
    {
        var signer = new MessageSigner("secret");
        var msg = JupyterMessage.Create("s", "kernel_info_request", [], null, [Encoding.ASCII.GetBytes("id")]);
        var frames = msg.Encode(signer).Select(f => f.ToArray()).ToList();
        Assert.NotNull(JupyterMessage.Decode(frames, signer, out _));
        Assert.Null(JupyterMessage.Decode(frames, new MessageSigner("other"), out var err));
        Assert.Equal("bad signature", err);
        frames[2] = [];
        Assert.Null(JupyterMessage.Decode(frames, signer, out err));
        Assert.Equal("unsigned message", err);
        Assert.Null(JupyterMessage.Decode([[1, 2, 3]], signer, out err));
    }
}
