// Word lists the book draws from. Changing any list changes every book: the determinism test
// pins the hash of the default book, so such a change is deliberate.

export const NAME_PARTS_A = [
  "Acme", "Blue", "North", "Bright", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor",
  "Iron", "Juniper", "Kite", "Lumen", "Maple", "Nova", "Orbit", "Pine", "Quartz", "River",
  "Summit", "Tidal", "Umber", "Vector", "Willow", "Xeno", "Yarrow", "Zenith", "Atlas", "Beacon",
] as const;

export const NAME_PARTS_B = [
  "Labs", "Systems", "Analytics", "Robotics", "Health", "Logistics", "Networks", "Foods",
  "Energy", "Software", "Capital", "Media", "Works", "Bio", "Cloud", "Data", "Dynamics", "Retail",
] as const;

export const TLDS = ["com", "io", "co", "net", "ai"] as const;

export const INDUSTRIES = [
  "COMPUTER_SOFTWARE", "FINANCIAL_SERVICES", "HOSPITAL_HEALTH_CARE", "RETAIL", "LOGISTICS_AND_SUPPLY_CHAIN",
  "MARKETING_AND_ADVERTISING", "RENEWABLES_ENVIRONMENT", "BIOTECHNOLOGY", "FOOD_BEVERAGES", "EDUCATION_MANAGEMENT",
] as const;

export const PLACES = [
  { city: "Berlin", region: "Berlin", country: "Germany", continent: "europe" },
  { city: "London", region: "England", country: "United Kingdom", continent: "europe" },
  { city: "Paris", region: "Ile-de-France", country: "France", continent: "europe" },
  { city: "Austin", region: "Texas", country: "United States", continent: "north america" },
  { city: "Boston", region: "Massachusetts", country: "United States", continent: "north america" },
  { city: "Toronto", region: "Ontario", country: "Canada", continent: "north america" },
  { city: "Sydney", region: "New South Wales", country: "Australia", continent: "oceania" },
  { city: "Singapore", region: "Singapore", country: "Singapore", continent: "asia" },
] as const;

export const FIRST_NAMES = [
  "Ada", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hugo", "Ines", "Jonas", "Kira", "Liam",
  "Maya", "Noah", "Olga", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Umar", "Vera", "Wes", "Yuki",
] as const;

export const LAST_NAMES = [
  "Adams", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen", "Khan",
  "Lopez", "Meyer", "Nakamura", "Okafor", "Patel", "Rossi", "Silva", "Torres", "Novak",
] as const;

export const JOB_TITLES = [
  "VP Engineering", "Head of Data", "CTO", "Director of Operations", "Product Manager",
  "Chief Revenue Officer", "IT Manager", "Data Engineer", "CFO", "Head of Growth",
] as const;

export const STAGES_OPEN = ["appointmentscheduled", "qualifiedtobuy", "presentationscheduled", "decisionmakerboughtin", "contractsent"] as const;

export const SUBJECTS = [
  "Quick question about your data stack", "Following up on our call", "Renewal planning",
  "Your team's usage this quarter", "Invitation: product roadmap briefing", "Re: seats for the new team",
] as const;
