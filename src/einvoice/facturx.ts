/**
 * Factur-X 1.09 (= ZUGFeRD 2.3), EN 16931 profile: the CII XML embedded in a PDF/A-3 as
 * `factur-x.xml`, and the XMP properties that announce it (with the PDF/A extension schema that
 * declares the fx: namespace, without which the PDF is not PDF/A).
 *
 * AFRelationship: the Factur-X specification gives "Data" for the MINIMUM and BASIC WL profiles
 * (their XML is not a full invoice), and "Alternative" for BASIC, EN 16931 and EXTENDED, whose XML
 * is an alternative representation of the whole invoice the PDF shows: "Alternative" here.
 */
import type { Pdf } from '../render/pdf.js';

export const FACTURX_FILE = 'factur-x.xml';
export const FACTURX_NS = 'urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#';
export const FACTURX_LEVEL = 'EN 16931';
export const FACTURX_RELATIONSHIP = 'Alternative';

/** The XMP descriptions: the fx: properties, then the PDF/A extension schema describing them. */
export function facturXXmp(): string {
  const prop = (name: string, description: string) =>
    `<rdf:li rdf:parseType="Resource"><pdfaProperty:name>${name}</pdfaProperty:name><pdfaProperty:valueType>Text</pdfaProperty:valueType>` +
    `<pdfaProperty:category>external</pdfaProperty:category><pdfaProperty:description>${description}</pdfaProperty:description></rdf:li>`;
  return (
    `<rdf:Description rdf:about="" xmlns:fx="${FACTURX_NS}">` +
    `<fx:DocumentType>INVOICE</fx:DocumentType><fx:DocumentFileName>${FACTURX_FILE}</fx:DocumentFileName>` +
    `<fx:Version>1.0</fx:Version><fx:ConformanceLevel>${FACTURX_LEVEL}</fx:ConformanceLevel></rdf:Description>\n` +
    `<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">` +
    `<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">` +
    `<pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema><pdfaSchema:namespaceURI>${FACTURX_NS}</pdfaSchema:namespaceURI><pdfaSchema:prefix>fx</pdfaSchema:prefix>` +
    `<pdfaSchema:property><rdf:Seq>` +
    prop('DocumentFileName', 'name of the embedded XML invoice file') +
    prop('DocumentType', 'INVOICE') +
    prop('Version', 'The actual version of the Factur-X XML schema') +
    prop('ConformanceLevel', 'The conformance level of the embedded Factur-X data') +
    `</rdf:Seq></pdfaSchema:property></rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>`
  );
}

/**
 * Attach the CII XML to a PDF/A-3 document (made with createPdf({ pdfa: true })): an embedded file
 * of type text/xml dated `date` (the issue date, so the same invoice gives the same bytes), listed
 * in the catalog's /AF and the EmbeddedFiles name tree by pdfkit, and the Factur-X XMP.
 */
export function attachFacturX(doc: Pdf, xml: string, date: Date): void {
  // @types/pdfkit lacks `relationship`, which pdfkit 0.15+ writes as the file spec's /AFRelationship.
  const options: PDFKit.Mixins.PDFAttachmentOptions & { relationship: string } = {
    name: FACTURX_FILE,
    type: 'text/xml',
    relationship: FACTURX_RELATIONSHIP,
    description: 'Factur-X invoice (EN 16931)',
    creationDate: date,
    modifiedDate: date,
  };
  doc.file(Buffer.from(xml, 'utf8'), options);
  doc.appendXML(facturXXmp());
}
