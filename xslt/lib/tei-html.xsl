<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI text to HTML5, element by element (mode st:html), the footnote section
  (mode st:notes), bibliographic records (mode st:bibl) and the table of
  contents (mode st:toc). Elements these modules do not know are rendered as
  their text only: never copied, never given a name or attribute from data.
  The modules are included (not imported), so their templates keep one
  precedence and priorities decide between them.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:include href="html-base.xsl"/>
  <xsl:include href="html-structure.xsl"/>
  <xsl:include href="html-drama.xsl"/>
  <xsl:include href="html-phrases.xsl"/>
  <xsl:include href="html-transcription.xsl"/>
  <xsl:include href="html-annotations.xsl"/>
  <xsl:include href="html-bibl.xsl"/>

</xsl:stylesheet>
