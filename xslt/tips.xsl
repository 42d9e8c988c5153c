<?xml version="1.0" encoding="UTF-8"?>
<!--
  The tooltip of every authority entry, computed once for a whole edition instead of once
  per mention: `build` (and Publisher.authority_param) run this on the authority corpus
  and pass the result to html.xsl as the $tips parameter. Input: the authority teiCorpus.
  Output: st:tips with one st:tip per entry, in document order: its id, its register's
  language ('' when none is usable) and its one-line summary (lib/common.xsl, st:summary).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="lib/common.xsl"/>
  <xsl:import href="lib/tei-html.xsl"/>

  <xsl:output method="xml" encoding="UTF-8" indent="no" omit-xml-declaration="yes"/>

  <xsl:mode on-no-match="fail"/>

  <xsl:template match="/">
    <st:tips>
      <xsl:for-each select="//(tei:person | tei:personGrp | tei:place | tei:org | tei:bibl
          | tei:biblStruct)[@xml:id]">
        <xsl:sequence select="st:make-tip(.)"/>
      </xsl:for-each>
    </st:tips>
  </xsl:template>

</xsl:stylesheet>
