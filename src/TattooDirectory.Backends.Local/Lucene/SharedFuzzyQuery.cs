using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Lucene.Net.Util.Automaton;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// A <see cref="FuzzyQuery"/> that shares its compiled Levenshtein automata with the fuzzy
/// queries for the same term on other fields. Building and compiling them costs 0.2–0.8 ms in
/// Lucene.NET, far more than intersecting them with a small term dictionary; one user term
/// becomes six fuzzy queries, so this is most of a search's time.
/// </summary>
/// <remarks>
/// Relies on <see cref="FuzzyTermsEnum"/> reusing automata already present in the
/// <see cref="FuzzyTermsEnum.ILevenshteinAutomataAttribute"/> of the rewrite's attributes (that
/// is how Lucene shares them across segments). Automata depend only on the term text, edits,
/// prefix and transpositions, which <see cref="Automata"/> holders must keep equal.
/// </remarks>
internal sealed class SharedFuzzyQuery(Term term, int maxEdits, int prefixLength, int maxExpansions, SharedFuzzyQuery.Automata automata)
    : FuzzyQuery(term, maxEdits, prefixLength, maxExpansions, transpositions: true)
{
    protected override TermsEnum GetTermsEnum(Terms terms, AttributeSource atts)
    {
        var cached = atts.AddAttribute<FuzzyTermsEnum.ILevenshteinAutomataAttribute>().Automata;
        if (cached.Count == 0) automata.CopyTo(cached);
        var termsEnum = base.GetTermsEnum(terms, atts);
        automata.TakeFrom(cached);
        return termsEnum;
    }

    /// <summary>The compiled automata of one term, filled by the first query that builds them.</summary>
    public sealed class Automata
    {
        private readonly List<CompiledAutomaton> compiled = [];

        public void CopyTo(IList<CompiledAutomaton> target)
        {
            foreach (var automaton in compiled) target.Add(automaton);
        }

        public void TakeFrom(IList<CompiledAutomaton> source)
        {
            if (compiled.Count < source.Count)
            {
                compiled.Clear();
                compiled.AddRange(source);
            }
        }
    }
}
