Console.WriteLine("bench: scenarios arrive with the harness");
return 0;
