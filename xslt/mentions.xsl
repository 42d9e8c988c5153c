<?xml version="1.0" encoding="UTF-8"?>
<!--
  The index records of one TEI document (see lib/mentions.xsl): `build` runs this once per
  document and gives the records of all documents, in an st:index, to the index stylesheets.
  Parameters: docid (the document's id in the site, always given by build), authority.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="lib/common.xsl"/>
  <xsl:import href="lib/index.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>

  <xsl:template match="/">
    <xsl:sequence select="(tei:TEI | tei:teiCorpus/tei:TEI)[1] ! st:mentions(., $docid)"/>
  </xsl:template>

</xsl:stylesheet>
