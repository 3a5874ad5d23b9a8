[assembly: AssemblyFixture(typeof(TattooDirectory.Tests.Support.SeededDirectory))]
