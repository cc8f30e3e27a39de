// Words the demo program is written in. Invented people, example.org addresses.

export const FIRST_NAMES = [
  'Amara', 'Bastian', 'Chiara', 'Dmitri', 'Elif', 'Farid', 'Greta', 'Hiroshi', 'Ines', 'Jonas', 'Kemi', 'Lars',
  'Maya', 'Nikhil', 'Olga', 'Pablo', 'Quynh', 'Rosa', 'Samir', 'Tilde', 'Umar', 'Vera', 'Wen', 'Ximena', 'Yusuf',
  'Zofia', 'Aiko', 'Bruno', 'Celeste', 'Dario', 'Esme', 'Florin', 'Hana', 'Ivo', 'Jasmin', 'Kofi', 'Lina', 'Mateo',
  'Nadia', 'Oskar',
] as const;

export const LAST_NAMES = [
  'Achebe', 'Bergström', 'Costa', 'Dubois', 'Eriksen', 'Fontaine', 'García', 'Haddad', 'Ivanova', 'Jansen',
  'Kowalski', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Quintero', 'Rossi', 'Schmidt', 'Tanaka',
  'Ueda', 'Varga', 'Weber', 'Xu', 'Yilmaz', 'Zimmermann', 'Almeida', 'Brennan', 'Castillo', 'Demir',
] as const;

export const MENTOR_PROMISES = [
  'Introduce you to a buyer at a regional retail chain',
  'Review the pricing page and send written comments',
  'Share the cash-flow template I use with my own companies',
  'Send two examples of investor updates that worked',
  'Connect you with the export adviser at the chamber of commerce',
  'Look over the draft employment contract',
  'Forward the list of grant programmes for manufacturers',
  'Give feedback on the pitch deck before Friday',
] as const;

export const MENTEE_PROMISES = [
  'Draft the cash-flow forecast for the next two quarters',
  'Interview five customers about the onboarding flow',
  'Write up the hiring plan for the first sales role',
  'Prepare three options for the supplier negotiation',
  'Rework the pitch deck around the unit economics',
  'Set up the monthly management accounts',
  'Book a session with the accountant about VAT',
  'Test the new price with ten existing customers',
] as const;

export const BROKEN_PROMISE_REASONS = ['Ran out of time', 'Priorities changed', 'Forgot about it', null] as const;
export const CANCEL_REASONS = ['Travel', 'A customer emergency', 'Unwell', 'Clashes with a board meeting', null] as const;
export const PAUSE_REASONS = ['Parental leave', 'Fundraising sprint', 'Summer break'] as const;
export const MOTIVE_NOTES = ['Wants to give back to the region', 'Keen to stay close to new founders', null] as const;

export const COMMUNICATIONS = {
  kickOff: { channel: 'email', summary: 'Welcome to the programme: how pairs work, the fortnightly rhythm, who to call' },
  newsletter: { channel: 'newsletter', summary: 'Monthly programme newsletter: upcoming workshops and peer sessions' },
  workshop: { channel: 'event', summary: 'Mid-programme workshop on giving and receiving candid feedback' },
  survey: { channel: 'email', summary: 'Reminder: the trust check-in survey is open this week' },
} as const;
