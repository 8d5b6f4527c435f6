#pragma once
// Word lists for the demo place's names. Places and organisations are made from
// syllables and words, so they are fictional; personal names are common ones.
#include <array>
#include <string_view>

namespace bespoke::demo::names {

inline constexpr std::array<std::string_view, 32> kPlaceStarts{
    "Ash",  "Brad",  "Cal",   "Dun",  "Elm",   "Fen",   "Gran", "Hol",  "Kings", "Lang", "Mar",
    "Nor",  "Oak",   "Pen",   "Red",  "Stan",  "Thorn", "Wes",  "Wil",  "Ald",   "Bram", "Cross",
    "Dray", "Ever",  "Farn",  "Hart", "Ketter", "Lym",  "Mel",  "Quen", "Rush",  "Sel"};
inline constexpr std::array<std::string_view, 20> kPlaceEnds{
    "ford", "bury", "ley",  "ton",    "wick", "field",  "borough", "ham",  "worth", "stead",
    "by",   "well", "bridge", "combe", "hurst", "mere", "thorpe",  "wood", "cote",  "dale"};
inline constexpr std::array<std::string_view, 14> kNeighbourhoodKinds{
    "Park", "Green", "Hill", "Vale", "Gardens", "Estate", "End", "Heath", "Fields", "Common", "Rise", "Village",
    "Meadows", "Quarter"};
inline constexpr std::array<std::string_view, 12> kStreetKinds{
    "Road", "Street", "Lane", "Avenue", "Close", "Way", "Crescent", "Drive", "Grove", "Terrace", "Row", "Walk"};
inline constexpr std::array<std::string_view, 16> kStreetNames{
    "Church", "Mill", "Station", "Victoria", "Park", "Chapel", "School", "Market", "Albert", "Queen",
    "Orchard", "Canal", "Foundry", "Willow", "Beech", "Nelson"};

// Given names by naming tradition, for the resident's main language.
struct GivenNames {
  std::array<std::string_view, 12> female;
  std::array<std::string_view, 12> male;
};
inline constexpr GivenNames kEnglishGiven{
    {"Olivia", "Amelia", "Isla", "Ava", "Emily", "Sophie", "Grace", "Margaret", "Susan", "Karen", "Chloe", "Ellie"},
    {"Oliver", "George", "Harry", "Jack", "Noah", "Leo", "James", "David", "Paul", "Michael", "Thomas", "Daniel"}};
inline constexpr GivenNames kWelshGiven{
    {"Cerys", "Ffion", "Seren", "Megan", "Gwen", "Nia", "Eleri", "Carys", "Lowri", "Mali", "Angharad", "Sian"},
    {"Rhys", "Dylan", "Osian", "Gethin", "Owain", "Iwan", "Dafydd", "Emyr", "Ioan", "Huw", "Tomos", "Aled"}};
inline constexpr GivenNames kPolishGiven{
    {"Zofia", "Anna", "Maja", "Julia", "Katarzyna", "Agnieszka", "Magdalena", "Ewa", "Hanna", "Natalia", "Ola",
     "Joanna"},
    {"Jakub", "Piotr", "Tomasz", "Kacper", "Jan", "Marek", "Pawel", "Szymon", "Krzysztof", "Michal", "Adam",
     "Lukasz"}};
inline constexpr GivenNames kSouthAsianMuslimGiven{
    {"Ayesha", "Fatima", "Zainab", "Maryam", "Amina", "Sana", "Nadia", "Hafsa", "Sadia", "Rukhsana", "Iqra",
     "Shabana"},
    {"Muhammad", "Ali", "Hamza", "Bilal", "Imran", "Yusuf", "Zain", "Tariq", "Adil", "Shahid", "Rizwan", "Arif"}};
inline constexpr GivenNames kPunjabiGiven{
    {"Harpreet", "Jaspreet", "Manpreet", "Simran", "Gurpreet", "Amrit", "Navneet", "Kiran", "Rajinder", "Parminder",
     "Baljit", "Jasleen"},
    {"Harjit", "Gurdeep", "Jaswinder", "Sukhdev", "Manjit", "Arjun", "Ranjit", "Kuldip", "Balraj", "Jasdeep",
     "Amarjit", "Harvinder"}};
inline constexpr GivenNames kGujaratiGiven{
    {"Priya", "Nisha", "Hetal", "Pooja", "Bhavna", "Jyoti", "Meera", "Kavita", "Rekha", "Anjali", "Dipa", "Sonal"},
    {"Raj", "Amit", "Nikhil", "Sanjay", "Hitesh", "Ketan", "Dinesh", "Pravin", "Rohan", "Vijay", "Jayesh",
     "Manish"}};
inline constexpr GivenNames kArabicSomaliGiven{
    {"Hodan", "Fadumo", "Khadija", "Layla", "Hawa", "Noor", "Samira", "Asha", "Ifrah", "Yasmin", "Ruqiya", "Hibo"},
    {"Abdi", "Omar", "Ahmed", "Mohamed", "Hassan", "Khalid", "Yasin", "Abdullahi", "Ibrahim", "Mustafa", "Jamal",
     "Faisal"}};
inline constexpr GivenNames kRomanianGiven{
    {"Ioana", "Maria", "Elena", "Andreea", "Alexandra", "Gabriela", "Mihaela", "Cristina", "Daniela", "Irina",
     "Roxana", "Bianca"},
    {"Andrei", "Alexandru", "Ionut", "Mihai", "Stefan", "Florin", "Cristian", "Gabriel", "Vlad", "Bogdan", "Marius",
     "Adrian"}};
inline constexpr GivenNames kPortugueseGiven{
    {"Beatriz", "Ines", "Mariana", "Leonor", "Carolina", "Matilde", "Rita", "Sofia", "Catarina", "Joana", "Ana",
     "Marta"},
    {"Joao", "Tiago", "Rodrigo", "Diogo", "Rafael", "Pedro", "Goncalo", "Miguel", "Francisco", "Bruno", "Nuno",
     "Rui"}};

inline constexpr std::array<std::string_view, 40> kEnglishFamily{
    "Smith",   "Jones",  "Taylor",   "Brown",  "Williams", "Wilson", "Johnson",  "Davies", "Robinson", "Wright",
    "Thompson", "Evans", "Walker",   "White",  "Roberts",  "Green",  "Hall",     "Wood",   "Jackson",  "Clarke",
    "Patel",   "Hughes", "Edwards",  "Turner", "Hill",     "Cooper", "Ward",     "Morris", "Moore",    "Baker",
    "Lewis",   "Harris", "Martin",   "Clark",  "King",     "Lee",    "Campbell", "Bennett", "Shaw",    "Price"};
inline constexpr std::array<std::string_view, 12> kWelshFamily{
    "Jones", "Davies", "Evans", "Thomas", "Roberts", "Hughes", "Lewis", "Morgan", "Griffiths", "Owen", "Rees",
    "Pritchard"};
inline constexpr std::array<std::string_view, 12> kPolishFamily{
    "Nowak", "Kowalski", "Wisniewski", "Wojcik", "Kaminski", "Lewandowski", "Zielinski", "Szymanski", "Wozniak",
    "Dabrowski", "Kozlowski", "Mazur"};
inline constexpr std::array<std::string_view, 12> kSouthAsianMuslimFamily{
    "Khan", "Hussain", "Ahmed", "Ali", "Iqbal", "Akhtar", "Rahman", "Begum", "Mahmood", "Rashid", "Uddin", "Islam"};
inline constexpr std::array<std::string_view, 12> kPunjabiFamily{
    "Singh", "Kaur", "Sandhu", "Gill", "Dhillon", "Bains", "Sidhu", "Johal", "Atwal", "Sahota", "Grewal", "Bassi"};
inline constexpr std::array<std::string_view, 12> kGujaratiFamily{
    "Patel", "Shah", "Mistry", "Parmar", "Desai", "Joshi", "Modi", "Solanki", "Chauhan", "Mehta", "Lad", "Thakkar"};
inline constexpr std::array<std::string_view, 12> kArabicSomaliFamily{
    "Abdi", "Ali", "Farah", "Hassan", "Mohamed", "Osman", "Warsame", "Yusuf", "Haddad", "Mansour", "Nasser",
    "Saleh"};
inline constexpr std::array<std::string_view, 12> kRomanianFamily{
    "Popescu", "Ionescu", "Popa", "Dumitru", "Stan", "Stoica", "Gheorghe", "Matei", "Ciobanu", "Rusu", "Munteanu",
    "Lazar"};
inline constexpr std::array<std::string_view, 12> kPortugueseFamily{
    "Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins", "Sousa", "Fernandes",
    "Goncalves", "Gomes"};

// Words for organisation names.
inline constexpr std::array<std::string_view, 14> kCharityNouns{
    "Trust", "Foundation", "Project", "Network", "Centre", "Alliance", "Partnership", "Association", "Forum",
    "Society", "Fund", "Collective", "Hub", "Initiative"};
inline constexpr std::array<std::string_view, 16> kCharityThemes{
    "Hope", "Open Door", "Lighthouse", "Harbour", "Bridges", "New Leaf", "Compass", "Kindred", "Threshold",
    "Haven", "Second Chance", "Sunrise", "Cornerstone", "Pathways", "Roots", "Stepping Stones"};
inline constexpr std::array<std::string_view, 12> kCompanyWords{
    "Care", "Homecare", "Support Services", "Healthcare", "Nurseries", "Transport", "Training", "Lifestyles",
    "Living", "Wellbeing", "Day Services", "Learning"};
inline constexpr std::array<std::string_view, 10> kGroupWords{
    "Good Neighbours", "Friends", "Lunch Club", "Walking Group", "Men's Shed", "Community Garden", "Repair Cafe",
    "Knit and Natter", "Litter Pickers", "Tea Dance"};

}  // namespace bespoke::demo::names
