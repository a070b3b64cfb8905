/** A report as data, the form in which it crosses to the PDF thread. */
/** What a report says, as data: a title, a subtitle line, then headings, paragraphs and small print in order. */
export interface ReportDoc {
  title: string;
  subtitle: string;
  blocks: ['heading' | 'strong' | 'para' | 'small', string][];
}
