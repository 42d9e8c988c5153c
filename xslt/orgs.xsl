<?xml version="1.0" encoding="UTF-8"?>
<!-- The org index as an HTML page (input: a TEI document or a teiCorpus of them). -->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">
  <xsl:import href="lib/index-html.xsl"/>
  <xsl:variable name="st:kind" as="xs:string" select="'org'"/>
</xsl:stylesheet>
