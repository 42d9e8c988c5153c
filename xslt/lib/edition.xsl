<?xml version="1.0" encoding="UTF-8"?>
<!--
  The edition as a whole: its title and editors (from [tool.serge-tei.site] through build,
  else from the documents' headers), for the home, about, search and document pages.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- The edition's title and editors ('A, B'); build always passes a title. -->
  <xsl:param name="edition-title" as="xs:string" select="''"/>
  <xsl:param name="editors" as="xs:string" select="''"/>

  <xsl:function name="st:edition-title" as="xs:string">
    <xsl:param name="root" as="node()"/>
    <xsl:sequence select="if ($edition-title != '') then $edition-title
        else string(($root//tei:TEI)[1] ! st:doc-title(.))"/>
  </xsl:function>

  <!-- The editors: configured, else the documents' editors, else who is responsible for them. -->
  <xsl:function name="st:editors" as="xs:string*">
    <xsl:param name="root" as="node()"/>
    <xsl:variable name="stmts" select="$root//tei:teiHeader/tei:fileDesc/tei:titleStmt"/>
    <xsl:sequence select="if ($editors != '') then $editors
        else if ($stmts/tei:editor) then distinct-values($stmts/tei:editor ! st:plain(.))
        else distinct-values($stmts/tei:respStmt[1]/(tei:name | tei:persName | tei:orgName)[1]
            ! st:plain(.))"/>
  </xsl:function>

  <xsl:template name="st:editors-line">
    <xsl:variable name="eds" select="st:editors(/)"/>
    <xsl:if test="exists($eds)">
      <p class="editors"><xsl:value-of select="'Edited by ' || string-join($eds, ', ')"/></p>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
