/**
 * English rules: the same traps, asks and scam types as the Chinese table, for English calls, SMS,
 * e-mails and job posts. Patterns run on lower-cased text; \b keeps words whole.
 */
import { r, type Rule } from './rule.ts';

const YOU = '(?:you|your|u|ur)';
const GIVE_EN = '(?:send|give|tell|share|read|forward|provide|reply with|text|enter|confirm|verify)';
const LINK_EN = '(?:click|tap|visit|follow|open|go to|log ?in at|sign ?in at)';

/** A link in an English text: a scheme, www., or a name under a common or cheap top-level domain. */
const EN_LINK = '(?:https?://|www\\.|\\b[a-z0-9-]+\\.(?:com|net|org|top|xyz|info|io|co|cc|app|site|online|live)\\b)';

/** English rules. */
export const ENGLISH_RULES: readonly Rule[] = [
  // traps
  r(
    'en.id_cs',
    'trap',
    'identity',
    0.9,
    `\\b(?:this is|i am|i'm|we are|calling from)\\s+(?:the\\s+)?(?:[a-z]+\\s+){0,3}?(?:customer (?:service|support|care)|support team|refund department|claims department|fraud department|security team|help ?desk)`,
  ),
  r('en.info', 'trap', 'information', 0.6, `\\b${YOU} (?:recently )?(?:ordered|purchased|bought)\\b|\\b${YOU}r? order (?:number|#|no\\.?)`),
  r(
    'en.benefit',
    'trap',
    'benefit',
    0.9,
    `\\b(?:double|triple|full) (?:refund|compensation)|\\brefund of \\$?\\d|\\b(?:eligible|entitled|qualif(?:y|ied)) for (?:a |an )?(?:refund|compensation|rebate|payout|reimbursement)|\\bovercharged\\b|\\b(?:refund|compensation) (?:is )?(?:pending|ready|approved)`,
  ),
  r(
    'en.credit',
    'trap',
    'credit',
    1.2,
    `\\b(?:credit (?:score|record|rating)) (?:will be |is )?(?:affected|damaged|ruined|lowered)|\\bauto(?:matic(?:ally)?)?[- ]?(?:renew|charge|debit)[a-z]*\\b.{0,30}\\b(?:cancel|stop)|\\bsubscription (?:will be|has been) (?:charged|renewed)`,
  ),

  // asks
  r(
    'en.code',
    'ask',
    'code',
    2.2,
    `\\b${GIVE_EN}\\b.{0,30}?\\b(?:verification|security|confirmation|one[- ]time|otp|sms|6[- ]digit|login|access) ?(?:code|pin|passcode)|\\b(?:code|otp|pin) (?:you (?:just )?(?:received|got)|we (?:just )?sent)\\b`,
  ),
  r(
    'en.card',
    'ask',
    'card',
    2.0,
    `\\b${GIVE_EN}\\b.{0,30}?\\b(?:card number|card details|cvv|cvc|expiry date|pin number|bank details|banking details|online banking password|password|account number|routing number|login details|credentials)\\b`,
  ),
  r(
    'en.personal',
    'ask',
    'personal',
    1.2,
    `\\b${GIVE_EN}\\b.{0,30}?\\b(?:social security|ssn|passport|id card|date of birth|driver'?s licen[cs]e|mother'?s maiden name|full name and address)\\b`,
  ),
  r(
    'en.transfer',
    'ask',
    'transfer',
    1.8,
    `\\b(?:wire|transfer|send|deposit|move|pay)\\b.{0,30}?(?:\\b(?:money|funds|payment|the fee|a fee|usd|bitcoin|btc|usdt|crypto)\\b|[$£€]\\s?\\d)|\\b(?:safe|secure|protected|holding) account\\b|\\b(?:gift ?cards?|itunes cards?|google play cards?|steam cards?)\\b|\\b(?:processing|release|clearance|customs|delivery|handling|activation|registration|training) fee\\b|\\bwestern union\\b|\\bmoneygram\\b`,
  ),
  r(
    'en.screen',
    'ask',
    'screen',
    2.4,
    `\\b(?:anydesk|teamviewer|rustdesk|quick ?support|remote access|remote desktop|share (?:your|the) screen|screen ?shar(?:e|ing))\\b`,
  ),
  r('en.app', 'ask', 'app', 1.0, `\\b(?:download|install)\\b.{0,20}?\\b(?:app|application|software|apk|program)\\b`),
  r('en.link', 'ask', 'link', 0.8, `\\b${LINK_EN}\\b.{0,20}?\\b(?:link|here|below|the url|this url|our website|the website|portal)\\b`),
  r(
    'en.loan',
    'ask',
    'loan',
    2.0,
    `\\b(?:take out|apply for) (?:a )?loan\\b|\\bpre-?approved (?:loan|for)\\b|\\bguaranteed loan\\b|\\bno credit check\\b`,
  ),
  r(
    'en.off_platform',
    'ask',
    'off_platform',
    1.3,
    `\\b(?:add|contact|message|text|reach|chat with) (?:me|us)\\b.{0,20}?\\b(?:whatsapp|telegram|wechat|signal|skype|line|kik|hangouts)\\b|\\b(?:whatsapp|telegram) (?:me|us)\\b`,
  ),
  r(
    'en.secrecy',
    'ask',
    'secrecy',
    1.4,
    `\\b(?:do not|don't|dont|never) (?:tell|inform|contact|discuss (?:this )?with) (?:anyone|anybody|your (?:family|bank|friends|wife|husband|parents)|the (?:bank|police))\\b|\\b(?:keep (?:this|it) (?:confidential|secret|between us)|strictly confidential)\\b|\\b(?:do not|don't) hang up\\b`,
  ),
  r(
    'en.urgency',
    'ask',
    'urgency',
    0.5,
    `\\b(?:immediately|urgent(?:ly)?|right away|as soon as possible|asap|final (?:notice|warning|reminder)|act now)\\b|\\bwithin (?:\\d+|twenty[- ]four|twelve|forty[- ]eight) (?:hours?|hrs?|minutes?|mins?|days?)\\b|\\b(?:today|by midnight|before midnight)\\b.{0,20}\\b(?:or|otherwise)\\b|\\botherwise\\b.{0,30}\\b(?:suspend|close|block|lock|terminat|cancel|arrest|fine)`,
  ),
  r('en.call', 'ask', 'call', 1.0, `\\b(?:call|ring|dial|contact)(?: us| back)?(?: (?:on|at|now))?:?\\s*(?:\\+|00)?\\d[\\d -]{6,}`),

  // scam types
  r(
    'en.phish_account',
    'type',
    'phishing',
    1.4,
    `\\b${YOU}r? (?:account|card|mailbox|email account|apple id|icloud|paypal|netflix|bank account|online banking)\\b.{0,30}?\\b(?:suspend|lock|limit|restrict|disabl|deactivat|clos|frozen|freez|block|expir|compromis|on hold)[a-z]*\\b|\\b(?:unusual|suspicious|unauthori[sz]ed) (?:sign[- ]in |login |log-in )?(?:activity|attempt|access|transaction|charge)s?\\b`,
  ),
  r(
    'en.phish_verify',
    'type',
    'phishing',
    1.2,
    `\\b(?:verify|confirm|update|validate|restore|unlock|reactivate) (?:your )?(?:account|identity|information|details|billing|payment (?:method|details|information)|password|credentials|email|mailbox)\\b|\\b(?:mailbox|quota|storage)(?: storage)? (?:is )?(?:full|exceeded|almost full)\\b|\\bpassword (?:will )?expir`,
  ),
  r(
    'en.phish_parcel',
    'type',
    'phishing',
    1.2,
    `\\b(?:package|parcel|shipment|delivery)\\b.{0,40}?\\b(?:on hold|could not be delivered|failed|held|pending|suspended|unable to deliver|address (?:incomplete|incorrect))\\b|\\b(?:redelivery|reschedule (?:your )?delivery)\\b`,
  ),
  r(
    'en.phish_tax',
    'type',
    'phishing',
    1.2,
    `\\b(?:tax refund|irs|hmrc|tax rebate|stimulus (?:payment|check)|toll (?:charge|payment)|unpaid toll)\\b`,
  ),
  r(
    'en.police',
    'type',
    'police',
    1.6,
    `\\b(?:arrest warrant|warrant (?:for|of) (?:your )?arrest|money laundering|legal action (?:will be|against)|lawsuit (?:has been )?filed|your (?:social security|ssn) (?:number )?(?:has been )?(?:suspended|compromised)|federal agent|customs (?:officer|department)|interpol)\\b`,
  ),
  r(
    'en.bank',
    'type',
    'bank',
    0.9,
    `\\b(?:bank|fraud (?:department|team)|security (?:department|team))\\b.{0,40}?\\b(?:suspicious|unauthori[sz]ed|fraud(?:ulent)?|frozen|blocked|compromised)\\b`,
  ),
  r(
    'en.lottery',
    'type',
    'lottery',
    1.4,
    `\\b(?:congratulations|congrats)\\b.{0,60}?\\b(?:won|winner|selected|prize|reward|award|chosen)\\b|\\b(?:you (?:have |'ve )?won|lottery|jackpot|sweepstakes|prize money|claim (?:your )?(?:prize|reward|gift))\\b`,
  ),
  r(
    'en.inheritance',
    'type',
    'lottery',
    1.6,
    `\\b(?:next of kin|beneficiary|inheritance|unclaimed (?:funds|fund|estate)|barrister|diplomat(?:ic)? (?:bag|courier)|consignment box|(?:million|\\d+m) (?:us )?(?:dollars|usd|euros|pounds)|\\$\\d{1,3}(?:,\\d{3}){2,})\\b`,
  ),
  r(
    'en.investment',
    'type',
    'investment',
    1.4,
    `\\b(?:guaranteed (?:returns?|profits?|income)|risk[- ]free (?:investment|returns?|profit)|double your (?:money|investment)|\\d{2,}% (?:returns?|profits?|roi) (?:daily|weekly|per (?:day|week|month))|guarantee[sd]? \\d+% (?:daily|weekly|monthly)|\\d{2,}% (?:daily|weekly|monthly) (?:returns?|profits?)|(?:with )?zero risk|crypto(?:currency)? (?:investment|trading platform|mining)|forex (?:trading|signals)|trading signals|investment (?:opportunity|platform)|insider (?:tips?|information))\\b`,
  ),
  r(
    'en.job',
    'type',
    'part_time',
    1.1,
    `\\b(?:work (?:from|at) home|no experience (?:needed|necessary|required)|earn (?:up to )?\\$\\s?\\d+|\\$\\d+\\s?(?:-\\s?\\$?\\d+\\s?)?(?:per|a|/)\\s?(?:day|hour|hr|week)|data entry|(?:weekly|daily) pay(?:ment|out)?|flexible hours|part[- ]time (?:job|position|work)|online job|personal assistant|mystery shopper|payment processing (?:agent|assistant)|reshipping|package forwarding|like (?:and|&) (?:subscribe|follow).{0,20}(?:earn|paid)|simple tasks?|task[- ]based)\\b`,
  ),
  r(
    'en.job_contact',
    'type',
    'part_time',
    0.8,
    `\\b(?:send|email|forward) (?:your |a )?(?:cv|resume|application)\\b.{0,40}?@(?:gmail|yahoo|hotmail|outlook|aol)\\.|\\binterview (?:will be )?(?:held |conducted )?(?:on|via) (?:telegram|whatsapp|skype|google hangouts|signal)\\b|\\b(?:purchase|buy) (?:your own |the )?(?:equipment|software|starter kit)\\b.{0,40}(?:reimburs|check|cheque)`,
  ),
  r(
    'en.interview_chat',
    'ask',
    'off_platform',
    1.3,
    `\\binterview (?:will be )?(?:held |conducted |done )?(?:on|via|over|through) (?:telegram|whatsapp|skype|google hangouts|hangouts|signal|wickr|teams chat)\\b`,
  ),
  r(
    'en.romance',
    'type',
    'romance',
    1.2,
    `\\b(?:my love|my dear|sweetheart|darling|honey|babe)\\b.{0,60}?\\b(?:invest|platform|send money|wire|gift card|plane ticket|customs|hospital bill)\\b`,
  ),
  r(
    'en.acquaintance',
    'type',
    'acquaintance',
    1.3,
    `\\b(?:this is|it's|its) your (?:son|daughter|grandson|granddaughter|boss|manager|ceo)\\b|\\b(?:new (?:phone )?number|lost my phone|broke my phone|phone (?:is )?broken)\\b`,
  ),
  // "Hi Mum" alone opens many honest texts: it counts only beside the scam's other words.
  r('en.hi_mum', 'type', 'acquaintance', 0.5, `\\b(?:hi|hey|hello) (?:mum|mom|dad|mummy|mommy|daddy)\\b`),
  r(
    'en.bank_change',
    'ask',
    'transfer',
    1.6,
    `\\b(?:updated|new|changed|different) (?:bank(?:ing)?|payment|remittance|account|wire) (?:details|information|info|account|instructions)\\b`,
  ),
  r(
    'en.credentials',
    'ask',
    'card',
    1.6,
    `\\blog ?in with your (?:corporate|company|work|email|office(?: ?365)?|microsoft|outlook|network|staff) (?:credentials|account|password|login)\\b|\\b(?:enter|confirm|verify|re-?enter) your (?:email |account )?(?:password|credentials)\\b`,
  ),
  r(
    'en.not_you_link',
    'type',
    'phishing',
    1.4,
    `\\b(?:if (?:you|this) (?:didn't|didnt|did not|wasn't|was not|weren't) (?:initiate|make|request|authori[sz]e|you)|not you\\?).{0,60}?${EN_LINK}`,
  ),
  r(
    'en.document_link',
    'type',
    'phishing',
    1.0,
    `\\b(?:review|sign|view|open|download) (?:the |your )?(?:document|file|agreement|invoice|statement|letter)\\b.{0,60}?${EN_LINK}`,
  ),
  r(
    'en.not_you_call',
    'ask',
    'call',
    1.2,
    `\\b(?:if (?:you|this) (?:didn't|didnt|did not|wasn't|was not|weren't) (?:initiate|make|place|request|authori[sz]e|you)|not you\\?).{0,60}?\\b(?:call|contact|ring|dial)\\b.{0,30}?(?:\\+|00)?\\d[\\d ()-]{7,}`,
  ),
  // An action at a link: "secure your account now at x.help", "Pay here ...: x.uk.com".
  r(
    'en.act_link',
    'type',
    'phishing',
    1.0,
    `\\b(?:pay|secure|verify|confirm|update|log ?in|sign ?in|visit|go to|click|tap|cancel|claim|redeliver|reschedule|rearrange|unlock|restore)\\b[^.!?\\n]{0,40}?(?:here|now|at|via|on|:)?[^.!?\\n]{0,6}?(?:https?://|www\\.|\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.(?:com|net|org|top|xyz|info|io|co|cc|app|site|online|live|help|support|click|uk|us|me|ly)\\b)`,
  ),
  // A small fee to release a parcel.
  r(
    'en.small_fee',
    'type',
    'phishing',
    1.0,
    `\\b(?:a |small )?(?:fee|payment|charge) of [$£€]\\s?\\d+(?:\\.\\d\\d)?\\b|[$£€]\\s?\\d+(?:\\.\\d\\d)? (?:shipping|customs|delivery|redelivery|handling|clearance) (?:fee|charge)\\b|\\b(?:shipping|customs|delivery|redelivery|handling|clearance) fee (?:is )?(?:due|required|unpaid)\\b`,
  ),
  r(
    'en.kidnap',
    'type',
    'kidnap',
    2.0,
    `\\b(?:we have your (?:son|daughter|child|husband|wife)|ransom|kidnapped|in (?:jail|custody) and needs? bail|bail money)\\b`,
  ),
  r(
    'en.report',
    'type',
    'fraud_report',
    1.4,
    `\\b(?:scammer|fraudster|was scammed|got scammed|scam call|phishing (?:email|message|text)|victim (?:of|was))\\b`,
  ),

  // benign: notices that warn or only inform
  r(
    'en.b_warning',
    'benign',
    'benign',
    -1.0,
    `\\b(?:never|will never|won't|do not|don't|never) (?:ask|share|give)\\b.{0,30}?\\b(?:code|password|pin|otp)\\b.{0,30}?\\b(?:anyone|anybody|us|staff)?|\\bif (?:this )?(?:was|wasn't) (?:not )?you\\b|\\bbeware of (?:scams|fraud)\\b`,
  ),
  r(
    'en.b_code',
    'benign',
    'benign',
    -1.4,
    `\\b(?:your|the) (?:verification|security|login|one-time) code is:?\\s*\\d{4,8}\\b|\\b\\d{4,8} is your (?:verification|security|login|one-time)? ?code\\b`,
  ),
  r('en.b_unsubscribe', 'benign', 'benign', -1.2, `\\breply stop\\b|\\bunsubscribe\\b|\\bopt out\\b|\\btext stop\\b`),
];
