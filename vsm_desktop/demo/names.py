"""Word lists for the synthetic demo authority: names, places, organisations and the
sentences that fill a PEP, every sentence in Welsh and English.

Everything here is invented or generic. People are made by combining a first name and a
surname at random; `PUBLIC_FIGURES` lists well-known full names the generator never
produces. Phone numbers come from Ofcom's ranges reserved for drama and e-mail addresses
from the domains reserved by RFC 2606, so nothing can reach a real person.

Bilingual texts are (Cymraeg, English) pairs; `{name}` is the learner's first name.
Welsh sentences avoid putting a name straight after a preposition, where it would need a
mutation.
"""

from __future__ import annotations

# --- the demo authority -------------------------------------------------------------

HOME_AUTHORITY = "Cyngor Sir Enghraifft / Example County Council"

OTHER_WELSH_AUTHORITIES = (
    "Ynys Môn / Isle of Anglesey", "Gwynedd", "Conwy", "Sir Ddinbych / Denbighshire",
    "Sir y Fflint / Flintshire", "Wrecsam / Wrexham", "Powys", "Ceredigion",
    "Sir Benfro / Pembrokeshire", "Sir Gaerfyrddin / Carmarthenshire", "Abertawe / Swansea",
    "Castell-nedd Port Talbot / Neath Port Talbot", "Pen-y-bont ar Ogwr / Bridgend",
    "Bro Morgannwg / Vale of Glamorgan", "Rhondda Cynon Taf", "Merthyr Tudful / Merthyr Tydfil",
    "Caerffili / Caerphilly", "Blaenau Gwent", "Torfaen", "Sir Fynwy / Monmouthshire",
    "Casnewydd / Newport", "Caerdydd / Cardiff",
)

ENGLISH_AUTHORITIES = (
    "Shropshire", "Cheshire West and Chester", "Herefordshire", "Gloucestershire",
    "Bristol", "Wirral", "Staffordshire", "Worcestershire",
)

# --- learners' first names ----------------------------------------------------------

# The first learners of every run take these, in order, so that any store of a few dozen
# learners holds them (tests and demonstrations search for them).
GUARANTEED_FORENAMES = (
    ("Siân", "female"), ("Gwenllïan", "female"), ("Dafydd", "male"),
    ("Ffion", "female"), ("Rhys", "male"), ("Llŷr", "male"),
)

WELSH_GIRLS = (
    "Siân", "Gwenllïan", "Ffion", "Elin", "Catrin", "Nia", "Mali", "Cerys", "Eirlys",
    "Heledd", "Llinos", "Rhiannon", "Seren", "Tegan", "Alys", "Lowri", "Bethan", "Megan",
    "Tirion", "Efa", "Nest", "Angharad", "Manon", "Lleucu", "Elen", "Gwen", "Mared", "Menna",
    "Erin", "Gwenno", "Beca", "Cadi", "Lili", "Nel", "Mabli", "Enfys", "Hawys", "Eleri",
    "Glesni", "Gwawr", "Alaw", "Betsan", "Eluned", "Ela", "Elan", "Non", "Heulwen", "Anwen",
    "Llio", "Medi",
)

WELSH_BOYS = (
    "Dafydd", "Rhys", "Llŷr", "Iestyn", "Ioan", "Gruffudd", "Dylan", "Osian", "Gethin",
    "Tomos", "Aled", "Siôn", "Iwan", "Owain", "Huw", "Cai", "Ifan", "Guto", "Macsen", "Tudur",
    "Caio", "Harri", "Rhodri", "Steffan", "Gwion", "Elis", "Hedd", "Iolo", "Cynan", "Deio",
    "Ianto", "Morgan", "Bedwyr", "Emrys", "Idris", "Celt", "Twm", "Llew", "Efan", "Mabon",
    "Gwilym", "Sion", "Tristan", "Emlyn", "Arwel", "Rhun",
)

ENGLISH_GIRLS = (
    "Olivia", "Amelia", "Ava", "Isla", "Freya", "Lily", "Ella", "Mia", "Grace", "Sophie",
    "Evie", "Ruby", "Poppy", "Chloe", "Emily", "Jessica", "Isabella", "Harper", "Willow",
    "Charlotte", "Daisy", "Amber", "Holly", "Scarlett", "Layla", "Zara", "Maya", "Leah",
    "Millie", "Phoebe", "Ivy", "Rosie", "Esme", "Hollie", "Kayla", "Jasmine",
)

ENGLISH_BOYS = (
    "Jack", "Harry", "Oliver", "Noah", "George", "Leo", "Charlie", "Jacob", "Alfie",
    "Freddie", "Oscar", "Thomas", "Joshua", "Riley", "Tyler", "Kai", "Ethan", "Callum",
    "Jayden", "Mason", "Logan", "Liam", "Finley", "Max", "Archie", "Lewis", "Jake", "Reuben",
    "Theo", "Arthur", "Louie", "Bobby", "Tommy", "Frankie", "Alex", "Kian",
)

# Names from other heritages, for a city's mix (used across all ethnicities).
OTHER_GIRLS = ("Aisha", "Amara", "Priya", "Maryam", "Zofia", "Hana", "Nadia", "Amina", "Ola", "Sara")
OTHER_BOYS = ("Amir", "Yusuf", "Kofi", "Hamza", "Arjun", "Tomasz", "Nikola", "Omar", "Ibrahim", "Kacper")

# Names for anyone (non-binary learners and those who did not state a gender).
NEUTRAL_NAMES = ("Alex", "Morgan", "Charlie", "Eryl", "Robin", "Ceri", "Sam", "Jordan", "Rowan", "Glyn")

PREFERRED_NAMES = {
    "Gwenllïan": "Gwen", "Dafydd": "Dai", "Gruffudd": "Guto", "Rhiannon": "Rhi",
    "Bethan": "Beth", "Catrin": "Cat", "Tomos": "Twm", "Angharad": "Anga", "Gwenno": "Gwen",
    "Oliver": "Ollie", "Amelia": "Millie", "Isabella": "Bella", "Joshua": "Josh",
    "Alfie": "Alf", "Charlotte": "Lottie", "Jessica": "Jess", "Macsen": "Mac", "Llywelyn": "Llew",
    "Alexander": "Alex", "Ioan": "Io",
}

# --- surnames -----------------------------------------------------------------------

WELSH_SURNAMES = (
    "Jones", "Williams", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan",
    "Griffiths", "Price", "Rees", "Owen", "ap Dafydd", "Llywelyn", "Pritchard", "Prosser",
    "Bevan", "Vaughan", "Powell", "Jenkins", "James", "Edwards", "Parry", "Lloyd", "Howells",
    "Morris", "Phillips", "Watkins", "Harries", "Bowen", "Pugh", "Probert", "Pryce", "Wyn",
    "Meredith", "Rowlands", "Ellis", "Humphreys", "Gwyn", "Cadwaladr", "Tudur", "ab Iorwerth",
    "ap Rhys", "Llwyd", "Prydderch", "Gruffydd", "Beynon", "Bowen-Jones", "Cule",
)

ENGLISH_SURNAMES = (
    "Smith", "Brown", "Taylor", "Wilson", "Johnson", "Walker", "Wright", "Robinson",
    "Thompson", "White", "Green", "Hall", "Wood", "Harris", "Clarke", "Jackson", "Turner",
    "Hill", "Moore", "Cooper", "King", "Baker", "Ward", "Carter", "Mitchell", "Bennett",
    "Fisher", "Holmes", "Marshall", "Palmer", "Nowak", "Kowalski", "Ahmed", "Khan", "Mensah",
    "Okafor", "Begum", "Ali", "Murphy", "O'Brien", "Doyle", "Kelly", "Byrne", "Chapman",
)

# --- adults (staff and carers) ------------------------------------------------------

ADULT_WOMEN = (
    "Rhian", "Sioned", "Delyth", "Meinir", "Eleri", "Carys", "Nerys", "Glenys", "Helen",
    "Sarah", "Claire", "Rachel", "Karen", "Lisa", "Emma", "Joanne", "Julie", "Michelle",
    "Nicola", "Louise", "Rebecca", "Hannah", "Haf", "Mererid", "Angharad", "Bethan", "Gwenan",
    "Llinos", "Catrin", "Elen", "Ffion", "Kirsty", "Amanda", "Tracey", "Samantha", "Gaynor",
)

ADULT_MEN = (
    "Gareth", "Dewi", "Emyr", "Gwyn", "Meirion", "Mark", "Paul", "Andrew", "David", "Stephen",
    "Kevin", "Darren", "Neil", "Iwan", "Alun", "Bryn", "Rhodri", "Geraint", "Hywel", "Wyn",
    "Richard", "Simon", "Jason", "Craig", "Matthew", "Owain", "Sion", "Elfed", "Tudur", "Ieuan",
)

# Full names the generator never produces (well-known people in Wales and beyond).
PUBLIC_FIGURES = frozenset(n.casefold() for n in (
    "Dylan Thomas", "Gareth Thomas", "Huw Edwards", "Rhodri Morgan", "Aled Jones", "Gethin Jones",
    "Ioan Gruffudd", "Ioan Gruffydd", "Tom Jones", "Gareth Edwards", "Shane Williams", "George North",
    "Sam Warburton", "Siân Phillips", "Sian Phillips", "Mali Harries", "Elin Jones", "Llŷr Gruffydd",
    "Adam Price", "Rhys ab Owen", "Iolo Williams", "Ben Davies", "Harry Wilson", "Tomos Williams",
    "Liam Williams", "Dafydd Jenkins", "Gethin Jenkins", "Adam Jones", "Jamie Roberts",
    "Mike Phillips", "Jonathan Davies", "Stephen Jones", "Geraint Thomas", "Lauren Price",
    "Jade Jones", "Ruth Jones", "Luke Evans", "Lowri Morgan", "Siân Lloyd", "Sian Lloyd",
    "Charlotte Church", "Katherine Jenkins", "Cerys Matthews", "Kelly Jones", "Owain Glyndŵr",
    "Dafydd ap Llywelyn", "Gruffudd ap Llywelyn", "Rhys ap Gruffydd", "Gwenllïan ferch Gruffydd",
    "Hywel Williams", "Jonathan Edwards", "Bethan Jenkins", "Nia Griffith", "Alun Davies",
    "Carwyn Jones", "Kirsty Williams", "Mark Williams", "Ben Lake", "Rhys Webb", "Leigh Halfpenny",
    "Dan Biggar", "Gareth Bale", "Aaron Ramsey", "Joe Allen", "Neco Williams", "Ethan Ampadu",
    "Colin Jackson", "Michael Sheen", "Anthony Hopkins", "Richard Burton", "Rob Brydon",
    "Matthew Rhys", "Eve Myles", "Taron Egerton", "Owen Money", "Max Boyce", "Huw Stephens",
    "Rhod Gilbert", "Olivia Williams", "Harry Evans", "Emma Watson", "Harry Kane", "Harry Styles",
    "Jack Thomas", "Iwan Thomas", "Nicole Cooke", "Elinor Barker", "Rhys Priestland",
    "Justin Tipuric", "Ken Owens", "Alun Wyn Jones", "Hannah Mills", "Tom Pidcock",
    "Mark Hughes", "Ian Rush", "Neville Southall", "John Charles", "Ryan Giggs", "Craig Bellamy",
    "Rhian Evans", "Dewi Pws", "Bryn Terfel", "Emyr Lewis", "Alun Michael", "Mark Drakeford",
    "Vaughan Gething", "Eluned Morgan", "Jane Hutt", "Lee Waters", "Andrew Davies", "Julie Morgan",
    "Rhun ap Iorwerth", "Heledd Fychan", "Llinos Medi", "Nerys Evans", "Dafydd Iwan", "Huw Lewis",
))

STAFF_TITLES = {"female": ("Mrs", "Miss", "Ms"), "male": ("Mr",)}

# --- places and schools -------------------------------------------------------------

WELSH_PLACES = (
    "Penybryn", "Pen-y-garth", "Pen-y-waun", "Pen-y-maes", "Pen-y-dre", "Brynteg", "Bryn Celyn",
    "Bryn Onnen", "Brynhyfryd", "Bryn-glas", "Brynmeillion", "Bryn Derw", "Cwm Derw", "Cwm-nant",
    "Cwm Glas", "Cwm Eithin", "Maesglas", "Maes-y-coed", "Maes-yr-haf", "Maes Hir",
    "Maes-y-dderwen", "Nantgwyn", "Nant-y-felin", "Glan-yr-afon", "Glan Morfa", "Glan-y-môr",
    "Coed-y-brain", "Coedcae", "Coed Helyg", "Coed-y-wern", "Llwyncelyn", "Llwynderw",
    "Llwyn-yr-eos", "Pantycelyn", "Pant-y-dŵr", "Trefaes", "Trewen", "Caemawr", "Cae Derw",
    "Cae'r Felin", "Rhos-ddu", "Rhosfawr", "Rhos Helyg", "Gwaunfawr", "Cefn Glas", "Cefn-y-bryn",
    "Dolwen", "Dôl-y-felin", "Ynys Wen", "Ynys-y-coed", "Pontnewydd", "Pont-y-felin",
    "Abercelyn", "Aberderw", "Hafod-y-wern", "Hafod Lon", "Tir-y-berth", "Gellideg", "Gelliwen",
    "Gelli Aur", "Heol-y-cyw", "Pen-y-cae", "Tŷ Gwyn", "Tŷ Coch", "Tre-gib", "Blaen-y-cwm",
    "Blaenhonddan", "Cilgwyn", "Cil-y-coed", "Croes-y-ceiliog", "Derwen Deg", "Erw Las",
    "Ffynnon Wen", "Ffordd-las", "Garth Celyn", "Glyncoed", "Golwg-y-mynydd", "Hendre",
    "Hendy", "Heol Fawr", "Llain Wen", "Llys Tudur", "Morfa Gwyn", "Mynydd Bach", "Nant Ddu",
    "Parc Glas", "Parc-y-llyn", "Pennant", "Penrhos", "Plas Newydd", "Rhiw Goch", "Rhyd-y-fro",
    "Sarn Helen", "Tal-y-bont", "Ton Glas", "Troed-y-rhiw", "Twyn Gwyn", "Waun Wen", "Y Berllan",
    "Y Ddôl", "Y Garnedd", "Y Wern", "Ysgubor Wen", "Bro Teg", "Cwm Aur", "Llan-y-llyn",
    "Maes Ifor", "Llanelwy Fach", "Pen-y-lan", "Pen Rhiw", "Tan-y-bryn", "Bryn Awel", "Brynmawr Isaf",
)

# Names that stand for a school on their own: "Ysgol y Wern".
WELSH_SCHOOL_NOUNS = (
    "y Wern", "y Ddraig", "y Berllan", "y Dderwen", "yr Onnen", "y Felin", "y Garth", "y Graig",
    "y Ddôl", "y Castell", "y Gogarth", "y Fenni Fach", "Hen Felin", "Pen Coch", "Glan Morfa",
    "Cae Top", "Bro Helyg", "y Bont", "y Rhos", "Tŷ Gwyn", "Ffordd Las", "Gwaun Gynfi",
)

ENGLISH_PLACES = (
    "Oakfield", "Riverside", "Meadowbank", "Hillcrest", "Ashgrove", "Brookside", "Elmwood",
    "Westfield", "Fernhill", "Kingsmead", "Larkrise", "Millbrook", "Northgate", "Orchard Vale",
    "Redhill", "Sandford Park", "Willowbrook", "Beechwood", "Castlefields", "Harbour View",
)

# (medium, kind) -> name templates; {p} is a place.
SCHOOL_TEMPLATES = {
    ("welsh_medium", "primary"): ("Ysgol Gymraeg {p}", "Ysgol Gynradd Gymraeg {p}", "Ysgol {p}", "Ysgol {n}"),
    ("bilingual", "primary"): ("Ysgol Gynradd {p}", "Ysgol {p}", "Ysgol {n}"),
    ("dual_stream", "primary"): ("Ysgol Gynradd {p}", "{p} Primary School"),
    ("english_medium", "primary"): ("{p} Primary School", "{p} Community Primary School", "Ysgol Gynradd {p}"),
    ("welsh_medium", "secondary"): ("Ysgol Gyfun Gymraeg {p}", "Ysgol Gyfun {p}"),
    ("bilingual", "secondary"): ("Ysgol Uwchradd {p}", "Ysgol Gyfun {p}"),
    ("dual_stream", "secondary"): ("Ysgol Uwchradd {p}", "Ysgol Gyfun {p}"),
    ("english_medium", "secondary"): ("{p} High School", "{p} Comprehensive School"),
    ("welsh_medium", "all_through"): ("Ysgol Bro {p}", "Ysgol {p} 3-16"),
    ("bilingual", "all_through"): ("Ysgol Bro {p}", "Ysgol {p} 3-16"),
    ("dual_stream", "all_through"): ("Ysgol Bro {p}",),
    ("english_medium", "all_through"): ("{p} 3-16 School", "{p} Learning Campus"),
    ("welsh_medium", "special"): ("Ysgol Arbennig {p}", "Ysgol {n}"),
    ("bilingual", "special"): ("Ysgol Arbennig {p}", "Ysgol {n}"),
    ("dual_stream", "special"): ("Ysgol Arbennig {p}",),
    ("english_medium", "special"): ("{p} Special School", "{p} School"),
    ("welsh_medium", "pru"): ("Uned Cyfeirio Disgyblion {p}",),
    ("bilingual", "pru"): ("Uned Cyfeirio Disgyblion {p}", "Canolfan {p}"),
    ("dual_stream", "pru"): ("Uned Cyfeirio Disgyblion {p}",),
    ("english_medium", "pru"): ("{p} Pupil Referral Unit", "{p} Learning Centre"),
}

ENGLISH_SCHOOL_TEMPLATES = {
    "primary": ("{p} Primary School", "{p} Church of England Primary School", "{p} Primary Academy"),
    "secondary": ("{p} Academy", "{p} High School", "{p} School"),
    "all_through": ("{p} All-through Academy",),
    "special": ("{p} Special School",),
    "pru": ("{p} Pupil Referral Unit",),
}

# --- organisations ------------------------------------------------------------------

SOCIAL_SERVICES = "Gwasanaethau Plant / Children's Services"
FOSTERING_AGENCIES = (
    "Maethu Cymru Enghraifft", "Teuluoedd Clyd Fostering", "Cartrefi Cynnes Fostering",
    "Aelwyd Fostering Services", "Llwybr Newydd Foster Care",
)
RESIDENTIAL_HOMES = ("Cartref Plant Tŷ Celyn", "Tŷ'r Dderwen Children's Home", "Bryn Awel Residential Care")
MENTORING_PROJECTS = ("Prosiect Mentora Seren", "Camau Bach Mentoring", "Llwybrau Youth Mentoring")
IRO_SERVICE = "Uned Adolygu Annibynnol / Independent Reviewing Unit"
LACE_TEAM = "Tîm Addysg Plant sy'n Derbyn Gofal / LACE Team"

INTERVENTION_PROVIDERS = {
    "tutoring": ("Tiwtora Taf Cyf", "Seren Tutoring", "Y Ganolfan Ddysgu", "School staff (after school)"),
    "mentoring": MENTORING_PROJECTS,
    "therapy": ("Therapi Chwarae Enfys", "Sunflower Art Therapy", "Therapi Iaith a Lleferydd"),
    "coaching": ("Hyfforddi Hyder", "Game Plan Coaching"),
    "alternative_provision": ("Canolfan Addysg Amgen Y Ddôl", "Skills Yard Alternative Provision"),
    "camhs": ("CAMHS",),
    "other": ("Gwasanaeth Seicoleg Addysg / Educational Psychology", "Clwb Ffermio Gwyrdd", "Music Hub Lessons"),
}

# --- sentences (Cymraeg, English) ---------------------------------------------------

VOICE_GOOD_AT = (
    ("Dw i'n dda am ddarllen a dw i'n gallu darllen llyfrau pennod nawr.", "I'm good at reading and I can read chapter books now."),
    ("Dw i'n dda am chwarae pêl-droed. Dw i'n sgorio goliau i dîm yr ysgol.", "I'm good at football. I score goals for the school team."),
    ("Dw i'n dda am dynnu lluniau, yn enwedig anifeiliaid.", "I'm good at drawing, especially animals."),
    ("Dw i'n gallu nofio hyd y pwll i gyd.", "I can swim a whole length of the pool."),
    ("Dw i'n dda am fathemateg ac am helpu fy ffrindiau.", "I'm good at maths and at helping my friends."),
    ("Dw i'n dda am ganu ac mae fy athrawes yn dweud bod gen i lais hyfryd.", "I'm good at singing and my teacher says I have a lovely voice."),
    ("Dw i'n dda am adeiladu pethau gyda Lego ac am ddatrys posau.", "I'm good at building things with Lego and solving puzzles."),
    ("Dw i'n garedig ac yn gwrando ar bobl eraill.", "I'm kind and I listen to other people."),
    ("Dw i'n dda am goginio. Gwnes i gacen siocled yn yr ysgol.", "I'm good at cooking. I made a chocolate cake at school."),
    ("Dw i'n rhedeg yn gyflym iawn ac enillais i ras ar ddiwrnod mabolgampau.", "I run really fast and I won a race on sports day."),
    ("Dw i'n dda am gyfrifiaduron a chodio.", "I'm good at computers and coding."),
    ("Dw i'n dda am wneud i bobl chwerthin.", "I'm good at making people laugh."),
)
VOICE_GOOD_AT_OLDER = (
    ("Dw i'n dda am Gelf a dw i eisiau gwneud TGAU Celf.", "I'm good at Art and I want to do GCSE Art."),
    ("Dw i'n dda am drwsio beiciau.", "I'm good at fixing bikes."),
    ("Dw i'n dda am ofalu am y plant iau yn fy nghartref.", "I'm good at looking after the younger children where I live."),
    ("Dw i'n dda am chwaraeon, yn enwedig rygbi a bocsio.", "I'm good at sport, especially rugby and boxing."),
)

VOICE_ENJOY = (
    ("Dw i'n hoffi pêl-droed a chwarae gyda fy ffrindiau.", "I like football and playing with my friends."),
    ("Dw i'n mwynhau nofio ar ddydd Sadwrn.", "I enjoy swimming on Saturdays."),
    ("Dw i'n hoffi gwersi Celf a Cherddoriaeth.", "I like Art and Music lessons."),
    ("Dw i'n hoffi chwarae gemau ar y cyfrifiadur a gwylio ffilmiau.", "I like playing computer games and watching films."),
    ("Dw i'n mwynhau mynd â'r ci am dro gyda fy ngofalwr.", "I enjoy taking the dog for a walk with my carer."),
    ("Dw i'n hoffi'r Urdd a chystadlu yn yr Eisteddfod.", "I like the Urdd and competing in the Eisteddfod."),
    ("Dw i'n hoffi dawnsio a chanu.", "I like dancing and singing."),
    ("Dw i'n mwynhau amser chwarae a'r clwb ar ôl ysgol.", "I enjoy playtime and the after-school club."),
    ("Dw i'n hoffi gwyddoniaeth achos dyn ni'n gwneud arbrofion.", "I like science because we do experiments."),
    ("Dw i'n hoffi marchogaeth ceffylau a bod tu allan.", "I like riding horses and being outside."),
    ("Dw i'n mwynhau rygbi a dw i'n chwarae i'r clwb lleol.", "I enjoy rugby and I play for the local club."),
    ("Dw i'n hoffi Ysgol Goedwig achos dyn ni'n cael gwneud tân a gwau.", "I like Forest School because we get to make a fire and weave."),
)

VOICE_WORRIES = (
    ("Dw i'n poeni weithiau am symud i ysgol newydd.", "Sometimes I worry about moving to a new school."),
    ("Dw i ddim yn hoffi pan mae'r dosbarth yn swnllyd.", "I don't like it when the class is noisy."),
    ("Dw i'n poeni am fy mrawd a fy chwaer.", "I worry about my brother and sister."),
    ("Weithiau dw i'n poeni am fy ngwaith mathemateg.", "Sometimes I worry about my maths work."),
    ("Dw i ddim yn hoffi amser cinio achos mae'n brysur iawn.", "I don't like lunchtime because it's very busy."),
    ("Dw i'n poeni bod pobl yn siarad amdana i.", "I worry that people talk about me."),
    ("Dw i'n poeni pan dw i ddim yn gwybod pwy sy'n dod i'm nôl i.", "I worry when I don't know who is picking me up."),
    ("Dim byd ar hyn o bryd.", "Nothing at the moment."),
    ("Dw i'n poeni pan mae athro newydd yn y dosbarth.", "I worry when there is a new teacher in class."),
)
VOICE_WORRIES_OLDER = (
    ("Dw i'n poeni am yr arholiadau.", "I'm worried about my exams."),
    ("Dw i'n poeni am beth sy'n digwydd ar ôl blwyddyn 11.", "I worry about what happens after Year 11."),
    ("Dw i ddim yn hoffi pan mae pobl yn gofyn pam dw i mewn gofal.", "I don't like it when people ask why I'm in care."),
)

VOICE_HELPS = (
    ("Mae'n help pan mae'r athro yn esbonio eto yn araf.", "It helps when the teacher explains again slowly."),
    ("Dw i'n dysgu'n well pan dw i'n eistedd yn y blaen.", "I learn better when I sit at the front."),
    ("Mae'n help cael seibiant byr pan dw i'n teimlo'n grac.", "It helps to have a short break when I feel angry."),
    ("Mae'r cynorthwyydd dysgu yn fy helpu i ddarllen.", "The teaching assistant helps me to read."),
    ("Mae'n help pan dw i'n gallu defnyddio'r cyfrifiadur i ysgrifennu.", "It helps when I can use the computer to write."),
    ("Dw i'n hoffi gweithio mewn grŵp bach, mae'n dawelach.", "I like working in a small group, it's quieter."),
    ("Mae amserlen gyda lluniau yn fy helpu i wybod beth sy'n digwydd.", "A picture timetable helps me know what is happening."),
    ("Mae'n help pan mae rhywun yn gwirio fy mod i'n deall.", "It helps when someone checks that I understand."),
    ("Clustffonau pan mae'n swnllyd.", "Ear defenders when it's noisy."),
    ("Mae'n help cael gwaith cartref ar bapur ac nid ar-lein.", "It helps to have homework on paper and not online."),
)

VOICE_FUTURE = (
    ("Dw i eisiau bod yn filfeddyg achos dw i'n caru anifeiliaid.", "I want to be a vet because I love animals."),
    ("Dw i eisiau bod yn blismon.", "I want to be a police officer."),
    ("Dw i eisiau bod yn chwaraewr pêl-droed i Gymru.", "I want to play football for Wales."),
    ("Dw i eisiau bod yn athrawes.", "I want to be a teacher."),
    ("Dw i eisiau bod yn ddiffoddwr tân.", "I want to be a firefighter."),
    ("Dw i eisiau bod yn gogydd.", "I want to be a chef."),
    ("Dw i eisiau bod yn artist.", "I want to be an artist."),
    ("Dw i eisiau bod yn YouTuber.", "I want to be a YouTuber."),
)
VOICE_FUTURE_OLDER = (
    ("Dw i eisiau mynd i'r coleg i astudio gofal plant.", "I want to go to college to study childcare."),
    ("Hoffwn i fod yn nyrs.", "I'd like to be a nurse."),
    ("Dw i eisiau bod yn fecanig a chael fy ngarej fy hun.", "I want to be a mechanic and have my own garage."),
    ("Dw i eisiau ymuno â'r fyddin.", "I want to join the army."),
    ("Dw i eisiau gwneud prentisiaeth mewn adeiladu.", "I want to do an apprenticeship in construction."),
    ("Dw i ddim yn siŵr eto, ond dw i eisiau gweithio gyda phobl.", "I'm not sure yet, but I want to work with people."),
    ("Hoffwn i fynd i'r brifysgol i astudio'r gyfraith.", "I'd like to go to university to study law."),
    ("Dw i eisiau bod yn drydanwr.", "I want to be an electrician."),
)

# {adult} is a member of staff ("Mrs Pritchard"); {mentor} the mentor's first name.
VOICE_TRUSTED = (
    ("{adult} yn y dosbarth.", "{adult} in my class."),
    ("Dw i'n gallu siarad gyda {adult} pan dw i'n drist.", "I can talk to {adult} when I'm sad."),
    ("{adult}, achos mae'n gwrando arna i.", "{adult}, because they always listen to me."),
    ("{adult} a'r cynorthwyydd dysgu.", "{adult} and the teaching assistant."),
    ("Dw i'n ymddiried yn {adult}.", "I trust {adult}."),
)

CARER_VIEWS = (
    ("Mae {name} wedi setlo'n dda yn y cartref ac yn mwynhau'r ysgol.", "{name} has settled well at home and enjoys school."),
    ("Rydyn ni'n darllen gyda'n gilydd bob nos ac mae hyder {name} yn tyfu.", "We read together every night and {name}'s confidence is growing."),
    ("Mae {name} yn ei chael hi'n anodd weithiau ar fore Llun ar ôl cyswllt teuluol.", "{name} sometimes finds Monday mornings hard after family contact."),
    ("Hoffwn i weld mwy o gymorth gyda mathemateg.", "I would like to see more support with maths."),
    ("Mae'r ysgol yn cyfathrebu'n dda gyda ni ac rydyn ni'n gweithio fel tîm.", "The school communicates well with us and we work as a team."),
    ("Mae {name} wedi blino'n lân ar ôl ysgol, felly rydyn ni'n cadw'r nosweithiau'n dawel.", "{name} is exhausted after school, so we keep evenings quiet."),
    ("Rydyn ni'n poeni am y gwaith cartref; mae'n achosi dadleuon gartref.", "We are worried about homework; it causes arguments at home."),
)

CARER_ROLE = (
    ("Byddaf yn helpu gyda gwaith cartref ac yn darllen bob nos.", "I will help with homework and read every night."),
    ("Byddaf yn sicrhau bod {name} yn cyrraedd yr ysgol yn brydlon bob dydd.", "I will make sure {name} gets to school on time every day."),
    ("Byddaf yn mynychu nosweithiau rhieni a phob cyfarfod adolygu.", "I will attend parents' evenings and every review meeting."),
    ("Byddaf yn annog {name} i ymuno â chlwb ar ôl ysgol.", "I will encourage {name} to join an after-school club."),
    ("Byddaf yn cadw mewn cysylltiad â'r person dynodedig bob wythnos.", "I will keep in touch with the designated person every week."),
)

PROFESSIONAL_VIEWS = (
    ("Mae {name} wedi gwneud cynnydd da y tymor hwn, yn enwedig mewn llythrennedd.", "{name} has made good progress this term, especially in literacy."),
    ("Mae presenoldeb wedi gwella ers y cyfarfod diwethaf.", "Attendance has improved since the last meeting."),
    ("Mae angen parhau â'r cymorth llesiant ac adolygu'r ymyriad y tymor nesaf.", "The well-being support should continue and the intervention be reviewed next term."),
    ("Mae'r lleoliad yn sefydlog ac mae hyn yn cael effaith gadarnhaol ar ddysgu.", "The placement is stable and this is having a positive effect on learning."),
    ("Mae'r ysgol a'r gwasanaethau cymdeithasol yn cydweithio'n dda.", "The school and children's services are working well together."),
    ("Mae pryder am ymddygiad amser cinio; bydd y person dynodedig yn ei fonitro.", "There is concern about behaviour at lunchtime; the designated person will monitor it."),
)

LEISURE = (
    ("Nofio, yr Urdd a chlwb rygbi ar ddydd Sadwrn.", "Swimming, the Urdd and Saturday rugby club."),
    ("Sgowtiaid a beicio.", "Scouts and cycling."),
    ("Dawnsio stryd a gwersi gitâr.", "Street dance and guitar lessons."),
    ("Pêl-droed gyda'r clwb lleol a gemau cyfrifiadur.", "Football with the local club and computer games."),
    ("Marchogaeth a gofalu am anifeiliaid.", "Horse riding and looking after animals."),
    ("Clwb drama a chôr yr ysgol.", "Drama club and the school choir."),
    ("Clwb ieuenctid ar nos Fercher.", "Youth club on Wednesday evenings."),
    ("Pysgota gyda'r gofalwr a chrefftau ymladd.", "Fishing with my carer and martial arts."),
)

PROGRESS = (
    ("Mae {name} yn gwneud cynnydd da mewn darllen ac mae bellach yn darllen yn annibynnol.", "{name} is making good progress in reading and now reads independently."),
    ("Cynnydd cyson ym mhob maes; mae mathemateg yn parhau'n her.", "Steady progress in all areas; maths remains a challenge."),
    ("Mae {name} yn gweithio ar y lefel ddisgwyliedig mewn rhifedd ac ychydig yn is mewn ysgrifennu.", "{name} is working at the expected level in numeracy and slightly below in writing."),
    ("Cynnydd arafach y tymor hwn oherwydd absenoldebau ar ôl newid lleoliad.", "Slower progress this term because of absences after a change of placement."),
    ("Mae {name} wedi dal i fyny mewn sillafu diolch i'r ymyriad llythrennedd.", "{name} has caught up in spelling thanks to the literacy intervention."),
    ("Mae'r gwaith ysgrifenedig wedi gwella'n fawr ac mae {name} yn cyfrannu mwy yn y dosbarth.", "Written work has improved a lot and {name} contributes more in class."),
    ("Mae {name} ar y trywydd iawn i gyrraedd y graddau a ragwelir.", "{name} is on track to reach the predicted grades."),
)

STRENGTHS = (
    ("Caredig a pharod i helpu eraill; dychymyg creadigol.", "Kind and ready to help others; a creative imagination."),
    ("Gweithio'n galed ac yn dyfalbarhau pan mae pethau'n anodd.", "Works hard and perseveres when things are difficult."),
    ("Sgiliau llafar da a hiwmor.", "Good speaking skills and a sense of humour."),
    ("Dawn at chwaraeon a gweithio mewn tîm.", "A talent for sport and teamwork."),
    ("Chwilfrydig ac yn gofyn cwestiynau da.", "Curious and asks good questions."),
    ("Yn ffrind ffyddlon ac yn boblogaidd yn y dosbarth.", "A loyal friend and popular in class."),
)

WELLBEING = (
    ("Mae {name} yn hapus yn yr ysgol ac yn gwneud ffrindiau'n dda.", "{name} is happy at school and makes friends easily."),
    ("Mae gorbryder yn codi cyn cyswllt teuluol; mae'r ysgol yn cynnig sesiynau Thrive.", "Anxiety rises before family contact; the school offers Thrive sessions."),
    ("Mae cwsg wedi gwella ac mae {name} yn fwy sefydlog yn emosiynol.", "Sleep has improved and {name} is more emotionally settled."),
    ("Pryder am hunan-barch isel; gwiriadau llesiant wythnosol gyda'r mentor.", "Concern about low self-esteem; weekly well-being check-ins with the mentor."),
    ("Dim pryderon llesiant ar hyn o bryd.", "No well-being concerns at present."),
)

REFERRALS = (
    ("Atgyfeiriad at CAMHS; ar y rhestr aros.", "Referred to CAMHS; on the waiting list."),
    ("Atgyfeiriad at y gwasanaeth cwnsela yn yr ysgol.", "Referred to the school counselling service."),
    ("Yn cael cymorth gan y tîm therapi iaith a lleferydd.", "Receiving support from the speech and language therapy team."),
    ("Asesiad seicoleg addysg wedi'i drefnu.", "Educational psychology assessment arranged."),
)

CURRENT_ARRANGEMENTS = (
    ("Mae {name} mewn dosbarth prif ffrwd gyda chymorth cynorthwyydd dysgu yn y bore.", "{name} is in a mainstream class with teaching assistant support in the mornings."),
    ("Amserlen lawn mewn dosbarth prif ffrwd; gwiriad dyddiol gyda'r person dynodedig.", "Full timetable in a mainstream class; daily check-in with the designated person."),
    ("Mae {name} yn treulio'r prynhawniau yn y ganolfan ddysgu ac yn y dosbarth yn y bore.", "{name} spends afternoons in the learning centre and mornings in class."),
    ("Tacsi i'r ysgol bob dydd oherwydd y pellter o'r lleoliad.", "A taxi to school every day because of the distance from the placement."),
)

DISRUPTION_PLAN = (
    ("Bydd {name} yn aros yn yr un ysgol os bydd y lleoliad yn newid; trefnir tacsi os oes angen.", "{name} will stay at the same school if the placement changes; a taxi will be arranged if needed."),
    ("Bydd unrhyw newid yn cael ei esbonio o flaen llaw, gyda stori gymdeithasol.", "Any change will be explained in advance, with a social story."),
    ("Bydd y person dynodedig yn rhannu'r cynllun gydag unrhyw ysgol newydd cyn y symud.", "The designated person will share the plan with any new school before a move."),
    ("Ni fydd cyfarfodydd yn cael eu trefnu yn ystod gwersi craidd.", "Meetings will not be arranged during core lessons."),
)

ALN_PROVISION = (
    ("Rhaglen lythrennedd un-i-un dair gwaith yr wythnos a therapi iaith a lleferydd.", "One-to-one literacy programme three times a week and speech and language therapy."),
    ("Cymorth mewn grŵp bach ar gyfer rhifedd ac amser ychwanegol mewn asesiadau.", "Small-group support for numeracy and extra time in assessments."),
    ("Cynorthwyydd dysgu am hanner y dydd a lle tawel i weithio.", "A teaching assistant for half the day and a quiet place to work."),
    ("Rhaglen sgiliau cymdeithasol a chyfathrebu wythnosol.", "A weekly social and communication skills programme."),
)

ALTERNATIVE_PROVISION = (
    ("Dau ddiwrnod yr wythnos mewn canolfan addysg amgen sy'n canolbwyntio ar sgiliau ymarferol.", "Two days a week at an alternative education centre focusing on practical skills."),
    ("Cwrs galwedigaethol yn y coleg lleol ar ddydd Gwener.", "A vocational course at the local college on Fridays."),
)

TRANSITION_Y6 = (
    ("Pontio i'r ysgol uwchradd: ymweliadau ychwanegol yn nhymor yr haf a chyfarfod gyda'r person dynodedig newydd.", "Transition to secondary school: extra visits in the summer term and a meeting with the new designated person."),
    ("Bydd {name} yn mynd i'r cynllun pontio haf a bydd ffrind cyfoed yn ei helpu yn yr ysgol newydd.", "{name} will attend the summer transition scheme and have a peer buddy at the new school."),
)
TRANSITION_Y11 = (
    ("Cais i'r coleg lleol am gwrs Lefel 2 mewn gofal plant; cymorth gan Gyrfa Cymru; cysylltu â'r cynllun llwybr.", "Applied to the local college for a Level 2 childcare course; Careers Wales support; linked to the pathway plan."),
    ("Diddordeb mewn prentisiaeth; cyfarfod gyda Gyrfa Cymru wedi'i drefnu.", "Interested in an apprenticeship; a meeting with Careers Wales has been arranged."),
    ("Bydd {name} yn aros yn y chweched dosbarth i astudio Safon Uwch.", "{name} will stay on in the sixth form to study A levels."),
)

TARGETS = (
    ("Byddaf yn darllen am 10 munud bob nos gyda fy ngofalwr ac yn ei gofnodi yn fy nghofnod darllen.", "I will read for 10 minutes every night with my carer and write it in my reading log."),
    ("Byddaf yn cyrraedd yr ysgol erbyn 8:45 bob bore am chwe wythnos.", "I will arrive at school by 8:45 every morning for six weeks."),
    ("Byddaf yn dal y bws i'r siop gyda staff ac yn talu am fy mhethau fy hun erbyn hanner tymor.", "I will catch the bus to the shop with staff and pay for my own things by half term."),
    ("Byddaf yn gwybod fy nhablau 2, 5 a 10 erbyn diwedd y tymor.", "I will know my 2, 5 and 10 times tables by the end of term."),
    ("Byddaf yn defnyddio fy ngherdyn seibiant pan dw i'n teimlo'n grac, yn lle gadael y dosbarth.", "I will use my time-out card when I feel angry, instead of leaving the classroom."),
    ("Byddaf yn ymuno ag un clwb amser cinio ac yn mynd iddo bob wythnos.", "I will join one lunchtime club and go every week."),
    ("Byddaf yn cwrdd â fy mentor bob dydd Mawrth i siarad am sut mae'r wythnos wedi mynd.", "I will meet my mentor every Tuesday to talk about how my week has gone."),
    ("Byddaf yn ysgrifennu tair brawddeg gyda phriflythrennau ac atalnodau llawn bob dydd.", "I will write three sentences with capital letters and full stops every day."),
    ("Byddaf yn gofyn am help gan oedolyn pan dw i'n sownd, yn lle rhoi'r gorau iddi.", "I will ask an adult for help when I am stuck, instead of giving up."),
    ("Byddaf yn mynychu'r ysgol o leiaf 95% o'r amser y tymor hwn.", "I will attend school at least 95% of the time this term."),
    ("Byddaf yn chwarae gêm gyda ffrind amser chwarae heb ffraeo, bob dydd am bythefnos.", "I will play a game with a friend at playtime without falling out, every day for two weeks."),
    ("Byddaf yn pacio fy mag ysgol y noson cynt gyda help fy ngofalwr.", "I will pack my school bag the night before with help from my carer."),
    ("Byddaf yn siarad Cymraeg yn y dosbarth ac amser chwarae bob dydd.", "I will speak Welsh in class and at playtime every day."),
    ("Byddaf yn defnyddio fy ngliniadur i ysgrifennu fy ngwaith ym mhob gwers.", "I will use my laptop to write my work in every lesson."),
)
TARGETS_OLDER = (
    ("Byddaf yn cwblhau fy ngwaith cwrs TGAU Saesneg erbyn y dyddiad cau ym mis Mawrth.", "I will finish my GCSE English coursework by the deadline in March."),
    ("Byddaf yn ymweld â'r coleg gyda fy ngweithiwr cymdeithasol ac yn gwneud cais erbyn mis Ionawr.", "I will visit the college with my social worker and apply by January."),
    ("Byddaf yn adolygu am 30 munud, tair gwaith yr wythnos, cyn fy arholiadau ffug.", "I will revise for 30 minutes three times a week before my mock exams."),
    ("Byddaf yn mynd i bob gwers mathemateg y tymor hwn ac yn gwneud fy ngwaith cartref.", "I will go to every maths lesson this term and do my homework."),
)

TARGET_SUPPORT = (
    ("Sesiynau darllen un-i-un gyda'r cynorthwyydd dysgu, tair gwaith yr wythnos.", "One-to-one reading sessions with the teaching assistant, three times a week."),
    ("Siart gwobrwyo a gwiriad dyddiol gyda'r person dynodedig.", "A reward chart and a daily check-in with the designated person."),
    ("Tiwtora mathemateg mewn grŵp bach, wedi'i ariannu gan y Grant Datblygu Disgyblion.", "Small-group maths tutoring, funded by the Pupil Development Grant."),
    ("Y gofalwr i atgoffa bob bore ac i roi canmoliaeth.", "Carer to remind each morning and give praise."),
    ("Lle tawel yn y dosbarth a cherdyn seibiant.", "A quiet space in class and a time-out card."),
    ("Sesiynau mentora wythnosol.", "Weekly mentoring sessions."),
    ("Cymorth gan y cydlynydd ADY a'r rhaglen ymyrraeth lythrennedd.", "Support from the ALN coordinator and the literacy intervention programme."),
    ("Cyngor gyrfaoedd a chefnogaeth gan Gyrfa Cymru.", "Careers advice and support from Careers Wales."),
)

ACTIONS = (
    ("Trefnu asesiad darllen cyn y cyfarfod nesaf.", "Arrange a reading assessment before the next meeting."),
    ("Anfon adroddiad presenoldeb misol at y gweithiwr cymdeithasol.", "Send a monthly attendance report to the social worker."),
    ("Gwneud cais am gyllid y Grant Datblygu Disgyblion ar gyfer tiwtora.", "Apply for Pupil Development Grant funding for tutoring."),
    ("Atgyfeirio at y gwasanaeth seicoleg addysg.", "Refer to the educational psychology service."),
    ("Rhannu'r cynllun gyda'r swyddog adolygu annibynnol.", "Share the plan with the Independent Reviewing Officer."),
    ("Trefnu cyfarfod gyda Gyrfa Cymru.", "Arrange a meeting with Careers Wales."),
    ("Prynu gliniadur i gefnogi gwaith cartref.", "Buy a laptop to support homework."),
    ("Cysylltu â'r ysgol newydd i rannu gwybodaeth cyn y symud.", "Contact the new school to share information before the move."),
    ("Diweddaru'r cynllun datblygu unigol.", "Update the Individual Development Plan."),
    ("Trefnu ymweliadau pontio â'r ysgol uwchradd.", "Arrange transition visits to the secondary school."),
)

EXCLUSION_REASONS = (
    ("Ymddygiad ymosodol tuag at ddisgybl arall.", "Physical assault on another pupil."),
    ("Difrod bwriadol i eiddo'r ysgol.", "Deliberate damage to school property."),
    ("Ymddygiad aflonyddgar parhaus yn y dosbarth.", "Persistent disruptive behaviour in class."),
    ("Bygwth aelod o staff.", "Threatening a member of staff."),
)

INTERVENTION_OUTCOMES = (
    ("Oed darllen wedi codi 8 mis.", "Reading age up by 8 months."),
    ("Presenoldeb wedi gwella o 84% i 93%.", "Attendance improved from 84% to 93%."),
    ("Mwy hyderus yn y dosbarth, yn ôl yr athro.", "More confident in class, according to the teacher."),
    ("Sgôr SDQ wedi gostwng; llai o achosion o adael y dosbarth.", "SDQ score down; fewer incidents of leaving the classroom."),
    ("Yn parhau; rhy gynnar i fesur.", "Ongoing; too early to measure."),
)

ATTAINMENT_JUDGEMENTS = (
    ("Yn gweithio'n ddiogel o fewn y cam cynnydd disgwyliedig.", "Working securely within the expected progression step."),
    ("Wedi gwneud cynnydd da ers y tymor diwethaf.", "Good progress since last term."),
    ("Angen cymorth ychwanegol i symud ymlaen.", "Needs extra support to move on."),
    ("Yn gweithio'n uwch na'r disgwyl.", "Working above the expected level."),
)

# (Cymraeg, English) qualification titles.
QUALIFICATIONS = (
    ("TGAU Mathemateg", "GCSE Mathematics"),
    ("TGAU Mathemateg – Rhifedd", "GCSE Mathematics – Numeracy"),
    ("TGAU Saesneg Iaith", "GCSE English Language"),
    ("TGAU Gwyddoniaeth (Dwyradd)", "GCSE Science (Double Award)"),
    ("TGAU Celf a Dylunio", "GCSE Art and Design"),
    ("TGAU Hanes", "GCSE History"),
    ("TGAU Daearyddiaeth", "GCSE Geography"),
    ("TGAU Dylunio a Thechnoleg", "GCSE Design and Technology"),
    ("TGAU Addysg Gorfforol", "GCSE Physical Education"),
    ("Tystysgrif Her Sgiliau", "Skills Challenge Certificate"),
)
WELSH_QUALIFICATION = ("TGAU Cymraeg Iaith", "GCSE Welsh Language")
WELSH_SECOND_LANGUAGE = ("TGAU Cymraeg Ail Iaith", "GCSE Welsh Second Language")
GRADES = ("A*", "A", "B", "C", "D", "E", "F", "G")

PLACEMENT_MOVE_REASONS = (
    ("Daeth y lleoliad i ben ar gais y gofalwr.", "The placement ended at the carer's request."),
    ("Symud i fyw gyda brodyr a chwiorydd.", "Moved to live with brothers and sisters."),
    ("Symud i leoliad tymor hir.", "Moved to a long-term placement."),
    ("Symud at deulu (gofal gan berthnasau).", "Moved to family (kinship care)."),
    ("Lleoliad brys yn dod i ben.", "Emergency placement came to an end."),
    ("Angen lleoliad gyda mwy o gymorth.", "Needed a placement with more support."),
)
PLACEMENT_END = {
    "adopted": ("Gorchymyn mabwysiadu wedi'i wneud.", "Adoption order made."),
    "sgo": ("Gorchymyn gwarcheidiaeth arbennig wedi'i wneud.", "Special guardianship order made."),
    "previously_looked_after": ("Dychwelyd adref; daeth y cyfnod mewn gofal i ben.", "Returned home; no longer looked after."),
}

SCHOOL_MOVE_REASONS = {
    "placement": ("Newid ysgol oherwydd symud lleoliad.", "Changed school because of a placement move."),
    "managed": ("Symudiad wedi'i reoli i roi dechrau newydd.", "Managed move for a fresh start."),
    "exclusion": ("Gwaharddiad parhaol.", "Permanent exclusion."),
    "welsh": ("Symud i addysg cyfrwng Cymraeg ar gais y dysgwr.", "Moved to Welsh-medium education at the learner's request."),
    "needs": ("Symud i ddarpariaeth arbenigol i ddiwallu anghenion dysgu ychwanegol.", "Moved to specialist provision to meet additional learning needs."),
    "transition": ("Pontio i'r ysgol uwchradd.", "Transition to secondary school."),
}
GAP_IN_EDUCATION = (
    ("Tair wythnos heb le ysgol wrth aros am le yn yr ysgol newydd.", "Three weeks without a school place while waiting for a place at the new school."),
    ("Pythefnos o diwtora gartref cyn dechrau yn yr ysgol newydd.", "Two weeks of home tutoring before starting at the new school."),
)

PARENTAL_RESPONSIBILITY = {
    "care_order": ("Wedi'i rannu rhwng yr awdurdod lleol a'r fam.", "Shared between the local authority and the birth mother."),
    "interim_care_order": ("Wedi'i rannu rhwng yr awdurdod lleol a'r rhieni.", "Shared between the local authority and the parents."),
    "voluntary_s76": ("Y rhieni (llety gwirfoddol, adran 76).", "The parents (voluntary accommodation, section 76)."),
    "placed_with_parents": ("Wedi'i rannu rhwng yr awdurdod lleol a'r rhieni.", "Shared between the local authority and the parents."),
    "adopted": ("Y rhieni mabwysiadol.", "The adoptive parents."),
    "sgo": ("Y gwarcheidwad arbennig, wedi'i rannu gyda'r rhieni.", "The special guardian, shared with the parents."),
    "previously_looked_after": ("Y rhieni.", "The parents."),
    "care_leaver": ("Yr awdurdod lleol a'r fam (gorchymyn gofal).", "The local authority and the birth mother (care order)."),
}
DAY_TO_DAY_CONSENTS = {
    "foster": ("Y gofalwr maeth (awdurdod wedi'i ddirprwyo).", "The foster carer (delegated authority)."),
    "kinship": ("Y gofalwr sy'n berthynas (awdurdod wedi'i ddirprwyo).", "The kinship carer (delegated authority)."),
    "residential": ("Rheolwr y cartref, gyda'r gweithiwr cymdeithasol.", "The home's manager, with the social worker."),
    "secure": ("Rheolwr yr uned, gyda'r gweithiwr cymdeithasol.", "The unit's manager, with the social worker."),
    "placed_with_parents": ("Y rhieni.", "The parents."),
    "other": ("Y gweithiwr cymdeithasol.", "The social worker."),
    "none": ("Y rhieni.", "The parents."),
}

MEETING_PLACES = {
    "home": ("Cartref y gofalwr", "The carer's home"),
    "office": ("Swyddfa'r Gwasanaethau Plant", "Children's Services office"),
    "online": ("Ar-lein (Microsoft Teams)", "Online (Microsoft Teams)"),
}

QUALITY_FEEDBACK = {
    "green": (
        ("Cynllun cyflawn o ansawdd da. Mae llais y dysgwr yn glir.", "A complete, good-quality plan. The learner's voice is clear."),
        ("Targedau CAMPUS a chysylltiad clir rhwng gwariant GDD a chanlyniadau.", "SMART targets and a clear link between PDG-CLA spend and outcomes."),
    ),
    "amber": (
        ("Mae angen gwneud y targedau'n fwy penodol a mesuradwy.", "The targets need to be more specific and measurable."),
        ("Mae barn y gofalwr ar goll; ychwanegwch hi yn yr adolygiad nesaf.", "The carer's views are missing; add them at the next review."),
    ),
    "red": (
        ("Nid yw'r gwariant GDD wedi'i gysylltu â chanlyniadau. Rhaid diwygio'r cynllun.", "PDG-CLA spend is not linked to outcomes. The plan must be amended."),
        ("Nid oes cynllun i ddod â'r amserlen ran-amser i ben. Rhaid gweithredu.", "There is no plan to end the reduced timetable. Action is required."),
    ),
}

# --- phases and circumstances (domain/phases.py, domain/sections.py) ---------------------------

EY_AREAS = (
    ("Yn gweithio tuag at gam cynnydd 1 ym mhob maes: mae'n chwilfrydig ac yn mwynhau archwilio y tu allan.",
     "Working towards progression step 1 in every area: curious, and loves exploring outdoors."),
    ("Yn mwynhau cyfrif a didoli; angen mwy o gyfleoedd i wneud marciau ac i ddefnyddio creonau.",
     "Enjoys counting and sorting; needs more chances to make marks and use crayons."),
)
EY_COMMUNICATION = (
    ("Mae {name} yn defnyddio brawddegau byr ac yn dysgu geiriau newydd yn gyflym yn y ddwy iaith.",
     "{name} uses short sentences and is picking up new words quickly in both languages."),
    ("Mae {name} yn deall cyfarwyddiadau syml ond yn siarad ychydig; mae'r lleoliad yn defnyddio arwyddion a lluniau.",
     "{name} understands simple instructions but says little; the setting uses signs and pictures."),
)
EY_PHYSICAL = (
    ("Yn rhedeg, dringo a neidio'n hyderus; yn dechrau dal pensil yn gywir.",
     "Runs, climbs and jumps with confidence; starting to hold a pencil correctly."),
    ("Yn dal i ddatblygu cydbwysedd; mae'r ffisiotherapydd wedi rhoi ymarferion i'r lleoliad.",
     "Still developing balance; the physiotherapist has given the setting exercises."),
)
EY_PERSONAL_SOCIAL = (
    ("Wedi setlo'n dda gyda'r person allweddol; yn dechrau chwarae gyda phlant eraill ac yn rhannu.",
     "Settled well with the key person; beginning to play alongside other children and to share."),
    ("Yn ei chael hi'n anodd gadael y gofalwr yn y bore; mae trefn ffarwelio gyson yn helpu.",
     "Finds leaving the carer in the morning hard; a consistent goodbye routine helps."),
)
EY_ALN = (
    ("Oedi iaith a lleferydd wedi'i nodi; cyfeiriad at therapi iaith a lleferydd a chynllun yn y lleoliad.",
     "Speech and language delay identified; referred to speech and language therapy with a plan in the setting."),
    ("Dim anghenion dysgu ychwanegol wedi'u nodi; y lleoliad yn cadw golwg ar ei ddatblygiad.",
     "No additional learning needs identified; the setting keeps an eye on development."),
)
EY_HEALTH_VISITOR = (
    ("Adolygiad iechyd a datblygiad yn 27 mis wedi'i gwblhau gan yr ymwelydd iechyd; imiwneiddiadau'n gyfredol.",
     "27-month health and development review completed by the health visitor; immunisations up to date."),
    ("Yr ymwelydd iechyd yn cefnogi'r gofalwr gyda chysgu a bwyta; ymweliad nesaf mewn tri mis.",
     "The health visitor is supporting the carer with sleep and eating; next visit in three months."),
)
EY_SETTINGS_KEY_PEOPLE = ("Nia Hughes", "Sara Price", "Elin Haf Jones", "Rachel Evans", "Catrin Lloyd", "Dawn Matthews")

COLLEGES = ("Coleg Caerdydd a'r Fro", "Coleg y Cymoedd", "Coleg Gwent", "Coleg Menai", "Coleg Sir Gâr",
            "Grŵp Colegau NPTC", "Coleg Penybont")
TRAINING_PROVIDERS = ("ACT Training", "Itec Training Solutions", "Hyfforddiant Cambria")
COURSES = (
    (("Gofal Plant Lefel 2", "Level 2 Childcare"), "level2"),
    (("Peirianneg Fodurol Lefel 1", "Level 1 Motor Vehicle Engineering"), "level1"),
    (("Diploma Estynedig mewn Chwaraeon Lefel 3", "Level 3 Extended Diploma in Sport"), "level3"),
    (("Adeiladu Lefel 1", "Level 1 Construction"), "level1"),
    (("Trin Gwallt Lefel 2", "Level 2 Hairdressing"), "level2"),
    (("Safon Uwch: Bioleg, Cemeg a Seicoleg", "A levels: Biology, Chemistry and Psychology"), "level3"),
    (("Sgiliau Bywyd a Gwaith Lefel Mynediad", "Entry Level Life and Work Skills"), "entry"),
    (("Prentisiaeth mewn Arlwyo", "Apprenticeship in Catering"), "level2"),
    (("Twf Swyddi Cymru+", "Jobs Growth Wales+"), "entry"),
)
ASPIRATIONS = (
    ("Dw i eisiau bod yn fecanydd a chael fy ngarej fy hun un diwrnod.",
     "I want to be a mechanic and have my own garage one day."),
    ("Hoffwn i weithio gyda phlant bach, efallai mewn meithrinfa.",
     "I'd like to work with little children, maybe in a nursery."),
    ("Dw i eisiau mynd i'r brifysgol i astudio nyrsio.", "I want to go to university to study nursing."),
    ("Dw i ddim yn siŵr eto, ond dw i'n hoffi coginio a bod yn brysur.",
     "I'm not sure yet, but I like cooking and being busy."),
    ("Cael fflat fy hun a swydd lle dw i'n gweithio y tu allan.",
     "Get my own flat and a job where I work outdoors."),
)
FINANCIAL_SUPPORT = (
    ("Bwrsariaeth y coleg ar gyfer teithio a chinio; cyfrif cynilo gan yr awdurdod lleol.",
     "College bursary for travel and lunch; a savings account from the local authority."),
    ("Lwfans Cynhaliaeth Addysg wedi'i dalu bob pythefnos pan fo'r presenoldeb yn dda.",
     "Education Maintenance Allowance paid fortnightly when attendance is good."),
)
NEET_ACTIONS = (
    ("Mentor yn y coleg bob wythnos; y cynghorydd personol yn gwirio presenoldeb bob mis.",
     "A college mentor every week; the personal adviser checks attendance monthly."),
    ("Cynllun wrth gefn gyda Gyrfa Cymru os na fydd y cwrs yn gweithio.",
     "A back-up plan with Careers Wales if the course does not work out."),
)
NEET_SUPPORT = (
    ("Cyfarfodydd wythnosol gyda hyfforddwr ymgysylltu Gyrfa Cymru; cais i Twf Swyddi Cymru+ ar y gweill.",
     "Weekly meetings with a Careers Wales engagement coach; an application to Jobs Growth Wales+ under way."),
    ("Y cynghorydd personol yn helpu gyda CV a cheisiadau am brentisiaethau.",
     "The personal adviser is helping with a CV and apprenticeship applications."),
)
AP_PURPOSE = (
    ("Cadw {name} mewn addysg ar ôl gwaharddiadau: sgiliau ymarferol a chymwysterau galwedigaethol.",
     "Keeping {name} in education after exclusions: practical skills and vocational qualifications."),
    ("Rhaglen fer i ailadeiladu hyder cyn dychwelyd yn llawn i'r ysgol.",
     "A short programme to rebuild confidence before a full return to school."),
)
RT_REASON = (
    ("Dychwelyd yn raddol ar ôl cyfnod o bryder mawr am yr ysgol.", "A phased return after a period of severe anxiety about school."),
    ("Amserlen ran-amser tra bo'r lleoliad newydd yn setlo.", "A part-time timetable while the new placement settles."),
)
RT_RETURN_PLAN = (
    ("Ychwanegu awr bob pythefnos; amserlen lawn erbyn diwedd y tymor.",
     "Add an hour every fortnight; a full timetable by the end of term."),
    ("Adolygu bob pythefnos gyda'r person dynodedig a'r gofalwr.",
     "Reviewed every fortnight with the designated person and the carer."),
)
TRANSITION_RECEPTION = (
    ("Symud o'r dosbarth derbyn i Flwyddyn 1: ymweliadau â'r dosbarth newydd a llyfr lluniau am yr athro.",
     "Moving from Reception to Year 1: visits to the new class and a photo book about the teacher."),
)
