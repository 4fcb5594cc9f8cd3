using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PcapLab.Notebook.Cells;

/// <summary>Makes a cell's loops stop on interrupt: each loop body starts with a cancellation check, so even
/// <c>while (true) { }</c> ends with KeyboardInterrupt instead of spinning on after the kernel gives up on it.
/// Nothing is inserted across lines, so stack-trace line numbers stay the cell's.</summary>
internal sealed class InterruptibleLoops : CSharpSyntaxRewriter
{
    private static readonly StatementSyntax Check =
        SyntaxFactory.ParseStatement("global::PcapLab.Notebook.Cells.CellContext.ThrowIfInterrupted();");

    /// <summary>The code with checks in every loop body, or null when it has no loop.</summary>
    public static string? Rewrite(string code, CSharpParseOptions options)
    {
        var tree = CSharpSyntaxTree.ParseText(code, options);
        var root = tree.GetRoot();
        if (!root.DescendantNodes().Any(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax))
            return null;
        return new InterruptibleLoops().Visit(root).ToFullString();
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node) =>
        ((WhileStatementSyntax)base.VisitWhileStatement(node)!).WithStatement(Guard(node.Statement, Visit));

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node) =>
        ((DoStatementSyntax)base.VisitDoStatement(node)!).WithStatement(Guard(node.Statement, Visit));

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node) =>
        ((ForStatementSyntax)base.VisitForStatement(node)!).WithStatement(Guard(node.Statement, Visit));

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node) =>
        ((ForEachStatementSyntax)base.VisitForEachStatement(node)!).WithStatement(Guard(node.Statement, Visit));

    // The visited body with the check first; a single statement becomes a block on the same line.
    private static StatementSyntax Guard(StatementSyntax original, Func<SyntaxNode, SyntaxNode?> visit)
    {
        var body = (StatementSyntax)visit(original)!;
        if (body is BlockSyntax block)
            return block.WithStatements(block.Statements.Insert(0, Check));
        return SyntaxFactory.Block(Check, body.WithoutTrivia())
            .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken))
            .WithLeadingTrivia(body.GetLeadingTrivia()).WithTrailingTrivia(body.GetTrailingTrivia());
    }
}
