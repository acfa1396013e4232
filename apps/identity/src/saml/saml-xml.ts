// xmldom 0.8 is the one copy node-saml, xml-crypto and this code share (npm `overrides`); its typings are the DOM's own.
import { DOMParser } from '@xmldom/xmldom';
import { IdentityErrors } from '../identity.errors';

export const PROTOCOL_NS = 'urn:oasis:names:tc:SAML:2.0:protocol';
export const ASSERTION_NS = 'urn:oasis:names:tc:SAML:2.0:assertion';
export const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/** Far above any real response (a few KiB, tens with many groups), far below what could exhaust memory. */
const MAX_RESPONSE_BYTES = 256 * 1024;

/**
 * The XML of a `SAMLResponse` form value, refused before any parser sees it when it is too large, not base64, not
 * UTF-8, or declares a document type: SAML needs no DTD, and a DTD is how entity expansion (billion laughs) and
 * external entities (XXE) get in, whatever the parser does with them.
 */
export function decodeSamlResponse(value: string): string {
  // Form values may wrap base64 in lines; the cheap length bound comes before any copy of the string.
  if (value.length > 2 * MAX_RESPONSE_BYTES) throw IdentityErrors.ssoFailed('too_large');
  const base64 = value.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(base64) || base64.length % 4 !== 0) {
    throw IdentityErrors.ssoFailed('malformed');
  }
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.length > MAX_RESPONSE_BYTES) throw IdentityErrors.ssoFailed('too_large');
  let xml: string;
  try {
    xml = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw IdentityErrors.ssoFailed('malformed');
  }
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw IdentityErrors.ssoFailed('doctype_forbidden');
  return xml;
}

/**
 * Parses XML and refuses anything a lenient parser would repair or skip (unknown entities, trailing content,
 * unbalanced tags): two parsers reading one document differently is how signature-wrapping attacks begin. A second
 * root element is reported as such, since it is a known way to smuggle a forged assertion past a signature check.
 */
export function parseStrictXml(xml: string): Document {
  let multipleRoots = false;
  const refuse = (message: string): never => {
    multipleRoots ||= /only one element/i.test(message);
    throw new Error(message);
  };
  let document: Document;
  try {
    // xmldom 0.8 reports unbalanced tags and unknown entities as warnings only: every report is a refusal here.
    document = new DOMParser({
      errorHandler: { warning: refuse, error: refuse, fatalError: refuse },
    }).parseFromString(xml, 'text/xml');
  } catch {
    throw IdentityErrors.ssoFailed(multipleRoots ? 'multiple_roots' : 'malformed');
  }
  if (!document.documentElement || document.doctype || hasTextOutsideRoot(document)) {
    throw IdentityErrors.ssoFailed('malformed');
  }
  return document;
}

/** xmldom 0.8 keeps text after the root element instead of refusing it, as an XML parser must. */
function hasTextOutsideRoot(document: Document): boolean {
  return nodesOf(document.childNodes).some(
    (node) => node.nodeType === TEXT_NODE && (node.nodeValue ?? '').trim() !== '',
  );
}

/** Node types by number: the DOM's `Node` constants are not globals in Node.js. */
export const ELEMENT_NODE = 1;
const TEXT_NODE = 3;
export const PROCESSING_INSTRUCTION_NODE = 7;
export const COMMENT_NODE = 8;

/** xmldom 0.8's node lists are indexed but not iterable, and a text node's `childNodes` is null. */
export function nodesOf<T extends Node>(list: ArrayLike<T> | null): T[] {
  return list ? Array.from(list) : [];
}

/** The element children of `parent` with this namespace (`*`: any) and local name, in document order. */
export function childElements(parent: Node, namespace: string, localName: string): Element[] {
  const found: Element[] = [];
  for (const child of nodesOf(parent.childNodes)) {
    if (
      isElement(child) &&
      (namespace === '*' || child.namespaceURI === namespace) &&
      child.localName === localName
    ) {
      found.push(child);
    }
  }
  return found;
}

/** The one child with this name, or undefined when there is none; more than one is a malformed message. */
export function optionalChild(parent: Node, namespace: string, localName: string): Element | undefined {
  const children = childElements(parent, namespace, localName);
  if (children.length > 1) throw IdentityErrors.ssoFailed('malformed');
  return children[0];
}

/**
 * Every element with this local name anywhere below `root`, in any namespace: counting must not be fooled by an
 * attacker's namespace when node-saml and xml-crypto match on local names only.
 */
export function elementsNamed(root: Document | Element, localName: string): Element[] {
  return nodesOf(root.getElementsByTagNameNS('*', localName));
}

function isElement(node: Node): node is Element {
  return node.nodeType === ELEMENT_NODE;
}

/** An attribute's value, or undefined when it is absent (xmldom answers '' for both). */
export function attribute(element: Element, name: string): string | undefined {
  return element.hasAttribute(name) ? element.getAttribute(name)! : undefined;
}
