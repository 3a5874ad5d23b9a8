namespace TattooDirectory.Features.Seed;

/// <summary>
/// Word lists for fictional people and businesses, drawn from the mix of origins found in UK
/// cities. No word here may be a style alias (see StyleVocabulary): bios quote names, and style
/// inference over a bio must find exactly the artist's styles.
/// </summary>
internal static class NameBank
{
    public static readonly string[] FirstNames =
    [
        "Aarav", "Abena", "Agnieszka", "Ailsa", "Aisha", "Alex", "Alfie", "Ama", "Amara", "Amelia", "Amir", "Ana", "Andrei",
        "Anika", "Anjali", "Aoife", "Arjun", "Asha", "Ash", "Ayaan", "Ayesha", "Beatriz", "Bethan", "Bilal", "Bogdan",
        "Caitlin", "Callum", "Cerys", "Charlie", "Chiara", "Chidi", "Chioma", "Chloe", "Ciara", "Ciarán", "Connor", "Dafydd",
        "Daisy", "Dami", "Dana", "Darius", "Declan", "Deepa", "Deniz", "Dev", "Dylan", "Efua", "Eilidh", "Elena", "Elif",
        "Ella", "Ellis", "Emeka", "Emre", "Erin", "Eva", "Evie", "Ewan", "Fatima", "Femi", "Finlay", "Fiona", "Frankie",
        "Fraser", "Freya", "Gabriel", "George", "Georgia", "Gethin", "Giulia", "Grace", "Halima", "Hamish", "Hamza", "Hana",
        "Harriet", "Harry", "Harvey", "Hassan", "Hiro", "Holly", "Ibrahim", "Imani", "Imogen", "Inês", "Iona", "Ishaan",
        "Isla", "Isabella", "Ivan", "Jack", "Jada", "Jamal", "Jamie", "Jasmine", "Jay", "Jess", "Ji-woo", "Jiahui",
        "Joanna", "João", "Jordan", "Joseph", "Jude", "Kai", "Kaito", "Karim", "Kasia", "Kat", "Katarzyna", "Keira", "Kemi",
        "Kian", "Kiran", "Kirsty", "Kofi", "Kwame", "Layla", "Leah", "Leon", "Lewis", "Liam", "Lila", "Lily", "Linh",
        "Lorenzo", "Luca", "Lucía", "Maeve", "Mai", "Malik", "Marcus", "Mariam", "Marta", "Mateo", "Matteo", "Maya",
        "Megan", "Mehmet", "Mia", "Mihai", "Milo", "Min-jun", "Minh", "Mohammed", "Morgan", "Morven", "Nadia", "Naveen",
        "Ngozi", "Nia", "Niall", "Niamh", "Nikhil", "Nina", "Nkechi", "Noah", "Oksana", "Ola", "Oliver", "Olivia", "Olu",
        "Omar", "Oscar", "Pablo", "Piotr", "Poppy", "Priya", "Quinn", "Rafael", "Rahul", "Ravi", "Reza", "Rhys", "Riley",
        "Robin", "Róisín", "Rory", "Ruby", "Ryan", "Saanvi", "Sadia", "Sam", "Sana", "Sasha", "Seán", "Seren", "Shauna",
        "Shreya", "Siân", "Simone", "Sofia", "Sol", "Sophie", "Tariq", "Tayo", "Tendai", "Thanh", "Theo", "Tom", "Tomasz",
        "Una", "Uzma", "Valentina", "Vikram", "Wei", "Xander", "Yasmin", "Yuki", "Yusuf", "Zain", "Zara", "Zeynep", "Zoë",
        "Zofia",
    ];

    public static readonly string[] LastNames =
    [
        "Abdi", "Achieng", "Ackroyd", "Adeyemi", "Ahmadi", "Ahmed", "Ali", "Andersen", "Asante", "Ashworth", "Bailey",
        "Banda", "Baptiste", "Barker", "Barnes", "Bateman", "Begum", "Bennett", "Bianchi", "Boateng", "Brown", "Byrne",
        "Campbell", "Charles", "Chen", "Choi", "Chowdhury", "Clarke", "Cooper", "Costa", "Crowther", "Davies", "de Vries",
        "Demir", "Dlamini", "Dobson", "Doyle", "Dubois", "Esposito", "Evans", "Eze", "Fairclough", "Fernández", "Ferrari",
        "Firth", "Fletcher", "Foster", "Francis", "Fraser", "Gallagher", "García", "Georgiou", "Gordon", "Grant",
        "Greenwood", "Griffiths", "Gupta", "Haddad", "Haigh", "Hall", "Harrison", "Hartley", "Henry", "Holmes", "Holt",
        "Hosseini", "Huang", "Hughes", "Hussain", "Ibekwe", "Ionescu", "Iqbal", "Jackson", "Jansen", "Jenkins", "Johansson",
        "Johnson", "Jones", "Kaminski", "Kamau", "Karimi", "Kaur", "Kaya", "Kelly", "Kendall", "Kerr", "Khan", "Kim",
        "Kowalski", "Lam", "Larsen", "Laurent", "Lee", "Lewandowski", "Li", "Lindqvist", "Lister", "Liu", "Llewellyn",
        "Lloyd", "López", "MacDonald", "Mahmood", "Malik", "Marsh", "Martínez", "McCarthy", "McLeod", "Mensah", "Mohamed",
        "Moreau", "Morgan", "Moyo", "Müller", "Murphy", "Murray", "Mutasa", "Mwangi", "Nakamura", "Nasser", "Ndlovu",
        "Nguyen", "Ng", "Nielsen", "Nikolaidis", "Novák", "Nowak", "Nwosu", "O'Brien", "O'Connor", "Oakley", "Okafor",
        "Okonkwo", "Okoro", "Oliveira", "Otieno", "Owusu", "Öztürk", "Papadopoulos", "Park", "Patel", "Pearson", "Pereira",
        "Petrov", "Pham", "Phiri", "Pickles", "Popescu", "Powell", "Price", "Pritchard", "Quinn", "Rahman", "Rees", "Reid",
        "Robertson", "Robinson", "Romano", "Ross", "Russo", "Santos", "Sato", "Schmidt", "Shah", "Sharma", "Shaw", "Silva",
        "Sinclair", "Singh", "Smith", "Stewart", "Sutcliffe", "Suzuki", "Tan", "Tanaka", "Taylor", "Thomson", "Thornton",
        "Tran", "Vaughan", "Walker", "Walsh", "Wang", "Ward", "Warsame", "Webb", "Whitehead", "Williams", "Wilson",
        "Wiśniewski", "Wong", "Wright", "Yilmaz", "Zhang", "Zieliński",
    ];

    // Studio names: "{Adjective} {Noun} Tattoo Co." and friends, or "{Pair} & {Pair}".
    public static readonly string[] StudioAdjectives =
    [
        "Black", "Gilded", "Iron", "Silver", "Crimson", "Velvet", "Hollow", "Lucky", "Wild", "Northern", "Old", "Golden",
        "Blue", "Electric", "Brass", "Copper", "Midnight", "Salt", "Stone", "Secret", "Sacred", "Scarlet", "Ivory", "Jade",
        "Burning", "Quiet", "Little", "Broken", "Painted", "Wandering",
    ];

    public static readonly string[] StudioNouns =
    [
        "Lantern", "Anchor", "Swallow", "Dagger", "Arrow", "Crow", "Raven", "Wolf", "Fox", "Moth", "Serpent", "Tiger",
        "Bear", "Owl", "Stag", "Heart", "Compass", "Harbour", "Lighthouse", "Crown", "Key", "Needle", "Hand", "Eye", "Moon",
        "Sun", "Star", "Comet", "Tide", "Forge", "Mill", "Chapel", "Parlour", "Cabinet", "Atelier", "Gallery", "Ship",
        "Bell", "Hive", "Lion",
    ];

    public static readonly string[] StudioTemplates = ["{0} {1} Tattoo Co.", "{0} {1} Tattoo", "The {0} {1}", "{0} {1} Studio", "{0} {1} Collective"];

    public static readonly string[] StudioPairs =
    [
        "Ink", "Iron", "Needle", "Thread", "Bone", "Steel", "Ash", "Oak", "Salt", "Smoke", "Stone", "Gold", "Honey", "Thorn",
        "Fern", "Moth", "Ivy", "Ember", "Anchor", "Bell",
    ];

    public static readonly string[] Streets =
    [
        "High Street", "Station Road", "Mill Street", "Church Street", "Victoria Road", "Albert Street", "Park Road",
        "Queen Street", "King Street", "Market Street", "Bridge Street", "New Street", "North Street", "Chapel Lane",
        "Canal Street", "Water Lane", "Duke Street", "York Road", "Princess Street", "Union Street", "Castle Street",
        "Cross Street", "George Street", "Wellington Street", "Albion Street", "Regent Street", "Oxford Road",
        "Cambridge Road", "Grove Lane", "Foundry Lane", "Tannery Row", "Warehouse Street", "Brewery Yard", "Dale Street",
        "Silver Street", "Bank Street", "Corn Exchange Walk", "Cheapside", "Hope Street", "Bold Street",
    ];

    public static readonly string[][] OpeningHours =
    [
        ["Tue–Sat 10:00–18:00", "Sun–Mon Closed"],
        ["Mon–Fri 11:00–19:00", "Sat 10:00–17:00", "Sun Closed"],
        ["Wed–Sun 12:00–20:00", "Mon–Tue Closed"],
        ["Mon–Sat 10:00–18:00", "Sun 12:00–16:00"],
        ["Tue–Fri 10:00–18:00", "Sat 09:00–16:00", "Sun–Mon Closed"],
        ["Tue–Sat 11:00–19:00", "Sun–Mon By appointment"],
        ["Mon–Sun 10:00–20:00"],
    ];
}
