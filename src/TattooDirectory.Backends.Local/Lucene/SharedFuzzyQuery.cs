using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Lucene.Net.Util.Automaton;

namespace TattooDirectory.Backends.Local.Lucene;

/// <summary>
/// A <see cref="FuzzyQuery"/> whose compiled Levenshtein automata come from an
/// <see cref="Automata"/> holder shared by the fuzzy queries for the same term on every field and
/// across searches (<see cref="FuzzyAutomataCache"/>). Building and compiling them costs 0.2–0.8 ms
/// and tens of KB of garbage in Lucene.NET, far more than intersecting them with a small term
/// dictionary; one user term becomes six fuzzy queries, and the same words come back search after
/// search.
/// </summary>
/// <remarks>
/// Relies on <see cref="FuzzyTermsEnum"/> reusing automata already present in the
/// <see cref="FuzzyTermsEnum.ILevenshteinAutomataAttribute"/> of the rewrite's attributes (that
/// is how Lucene shares them across segments). Automata depend only on the term text, edits,
/// prefix and transpositions, which <see cref="Automata"/> holders must keep equal. A compiled
/// automaton is read-only once built (Lucene's own AutomatonQuery shares one between concurrent
/// searches), so one holder can serve many searches at once.
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

    /// <summary>The compiled automata of one term, filled by the first query that builds them; safe to share between threads.</summary>
    public sealed class Automata
    {
        // Replaced whole, never changed in place: a search copying it never sees a half-written list.
        private volatile CompiledAutomaton[] compiled = [];

        public void CopyTo(IList<CompiledAutomaton> target)
        {
            foreach (var automaton in compiled) target.Add(automaton);
        }

        public void TakeFrom(IList<CompiledAutomaton> source)
        {
            // Lucene builds automata for 0..n edits in order, so a longer list holds a shorter one.
            if (compiled.Length < source.Count) compiled = [.. source];
        }
    }
}
